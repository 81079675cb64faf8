using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

public interface IProjector
{
    long InputDim { get; }
    int OutputDim { get; }
    /// <summary>Projects gradients [B, InputDim] to features [B, OutputDim].</summary>
    Tensor Project(Tensor gradients);
}

/// <summary>Gaussian and Rademacher: a dense random matrix applied to exact per-example gradients. Srht: the subsampled
/// randomized Hadamard transform of exact per-example gradients (<see cref="SrhtProjector"/>). Structured: Kronecker
/// factors per layer applied to activations and output gradients (<see cref="KroneckerProjectedGradients"/>).</summary>
public enum ProjectionKind { Gaussian, Rademacher, Structured, Srht }
