using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Data;

/// <summary>A split of a segmentation dataset at model resolution, loaded in slices so large sets never sit in memory whole.</summary>
public interface ISegmentationSource
{
    int Count { get; }
    /// <summary>Database image id of each example, in example order.</summary>
    IReadOnlyList<long> ImageIds { get; }
    int NumClasses { get; }
    /// <summary>Images [n,3,S,S] float32 (normalized) and labels [n,S,S] int64 (255 = ignore) for examples start..start+count-1.
    /// The caller owns the returned tensors (they belong to the caller's dispose scope).</summary>
    (Tensor Images, Tensor Labels) Load(int start, int count);
}
