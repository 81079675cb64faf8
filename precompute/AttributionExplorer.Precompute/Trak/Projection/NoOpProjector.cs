using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

/// <summary>Identity projection (exact TRAK features), for tests and tiny models.</summary>
public sealed class NoOpProjector(long dimension) : IProjector
{
    public long InputDim => dimension;
    public int OutputDim => checked((int)dimension);
    public Tensor Project(Tensor gradients) => gradients.alias();
}
