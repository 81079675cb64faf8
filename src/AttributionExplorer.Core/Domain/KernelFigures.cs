using AttributionExplorer.Core.LabelErrors;

namespace AttributionExplorer.Core.Domain;

/// <summary>The TRAK kernel ΦᵀΦ + ridge·I of one checkpoint as a ranking run used it: what <see cref="KernelRegime"/>
/// needs to say whether its scores mean something.</summary>
public sealed record KernelFigures(long CheckpointId, int TrainImages, int ProjectionDim, double Ridge, double SmallestEigenvalue,
    double LargestEigenvalue, int EigenvaluesBelowRidge)
{
    /// <summary>One sentence per violated bound, with the figures; empty when the regime is sound.</summary>
    public IReadOnlyList<string> Warnings() =>
        KernelRegime.Warnings(TrainImages, ProjectionDim, SmallestEigenvalue, LargestEigenvalue, Ridge, EigenvaluesBelowRidge);
}
