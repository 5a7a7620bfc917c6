namespace NodeDsl.Runtime;

/// <summary>
/// Declares that a system's <see cref="IRatesVjp"/> may stand in for autograd through its <see cref="IOdeSystem.Rates"/>
/// when a solve is differentiated directly (<see cref="GradientMethod.Direct"/>): <see cref="IRatesVjp.Parameters"/> lists
/// every tensor the rates read that can require grad, and <see cref="IRatesVjp.Vjp"/> agrees with autograd. Direct
/// backpropagation through an explicit Runge–Kutta solve then runs the discrete adjoint of the steps — one VJP per stage —
/// instead of recording and walking an autograd graph of every stage (<see cref="StageAdjoint"/>).
/// </summary>
/// <remarks>
/// Generated models declare it (through <see cref="OdeModel"/>; their rates read only their states, time, parameters and
/// inputs). A system that also implements <see cref="IRatesVjp"/> and captures other tensors that require grad must not
/// declare it: autograd through its rates would reach those tensors, the VJP would not.
/// </remarks>
public interface IStageVjp
{
}
