using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

public interface IProjector
{
    long InputDim { get; }
    int OutputDim { get; }
    /// <summary>Projects gradients [B, InputDim] to features [B, OutputDim].</summary>
    Tensor Project(Tensor gradients);
}

public enum ProjectionKind { Gaussian, Rademacher }
