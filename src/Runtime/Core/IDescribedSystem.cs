using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// A system that declares its state layout (names, sizes and roles of its states and inputs) and takes per-trajectory
/// inputs. Every generated model does, through <c>OdeModel</c>. Solvers (the coordinate–momentum split), gradient
/// methods (inputs that require grad), training (observed states, inputs) and export (range counts) read these through
/// this interface, never through a model class, so any system type that declares them gets the same treatment.
/// </summary>
public interface IDescribedSystem : IOdeSystem
{
    /// <summary>Names, offsets, sizes and roles of the states, inputs, parameters and networks.</summary>
    ModelLayout Layout { get; }

    /// <summary>Per-trajectory inputs, <c>[batch, Layout.InputSize]</c> (or <c>[1, InputSize]</c>), or null.</summary>
    Tensor? Inputs { get; set; }
}
