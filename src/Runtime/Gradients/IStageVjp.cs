namespace NodeDsl.Runtime;

/// <summary>
/// Declares that a system's <see cref="IRatesVjp.Parameters"/> lists every tensor its <see cref="IOdeSystem.Rates"/> read that
/// can require grad, so that a solve differentiated directly (<see cref="GradientMethod.Direct"/>) may be one autograd node
/// whose inputs are <c>y0</c> and those parameters. Direct backpropagation through an explicit Runge–Kutta solve of a small
/// state then runs the discrete adjoint of the steps (<see cref="StageAdjoint"/>) instead of recording and walking an
/// autograd graph of every stage, when the rows stack (<see cref="RowsStack"/>).
/// </summary>
/// <remarks>
/// Generated models declare it (through <see cref="OdeModel"/>; their rates read only their states, time, parameters and
/// inputs). A system that captures other tensors that require grad must not declare it: autograd through its rates would
/// reach those tensors, the stage adjoint's node would not.
/// </remarks>
public interface IStageVjp
{
    /// <summary>
    /// True when the rates may be evaluated on many points stacked into one batch: row r of <c>f</c> depends only on row r of
    /// <c>t</c> and <c>y</c> (and on the parameters), and nothing per trajectory (inputs, time offsets) ties the rows to the
    /// solve's batch size. The stage adjoint
    /// needs it (it evaluates all stages of many steps in one call); when false, direct backprop records the steps with
    /// autograd.
    /// </summary>
    bool RowsStack { get; }
}
