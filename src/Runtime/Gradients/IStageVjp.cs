namespace NodeDsl.Runtime;

/// <summary>
/// Declares that a system's <see cref="IRatesVjp"/> may stand in for autograd through its <see cref="IOdeSystem.Rates"/>
/// when a solve is differentiated directly (<see cref="GradientMethod.Direct"/>): <see cref="IRatesVjp.Parameters"/> lists
/// every tensor the rates read that can require grad, and <see cref="IRatesVjp.Vjp"/> agrees with autograd. Direct
/// backpropagation through an explicit Runge–Kutta solve of a small state then runs the discrete adjoint of the steps
/// (<see cref="StageAdjoint"/>) instead of recording and walking an autograd graph of every stage.
/// </summary>
/// <remarks>
/// Generated models declare it (through <see cref="OdeModel"/>; their rates read only their states, time, parameters and
/// inputs). A system that also implements <see cref="IRatesVjp"/> and captures other tensors that require grad must not
/// declare it: autograd through its rates would reach those tensors, the VJP would not.
/// </remarks>
public interface IStageVjp
{
    /// <summary>
    /// True when the rates and the VJP may be evaluated on many points stacked into one batch: row r of <c>f</c> and of
    /// <c>aᵀ∂f/∂y</c> depends only on row r of <c>t</c>, <c>y</c> and <c>a</c>, the parameter products are sums over the
    /// rows, and nothing per trajectory (inputs, time offsets) ties the rows to the solve's batch size. The stage adjoint
    /// needs it (it evaluates all stages of many steps in one call); when false, direct backprop records the steps with
    /// autograd.
    /// </summary>
    bool RowsStack { get; }
}
