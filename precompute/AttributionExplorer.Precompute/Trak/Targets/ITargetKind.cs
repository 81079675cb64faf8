using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Data;

namespace AttributionExplorer.Precompute.Trak.Targets;

/// <summary>A target kind plug-in: its description (URL key, title) and how it plans TRAK targets, with their output
/// functions, on one held-out example. On-demand kinds (region) plan nothing here.</summary>
public interface ITargetKind
{
    TargetKindInfo Info { get; }
    IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex);
}

/// <summary>What planners see: the held-out examples at model resolution, the category mapping, the stored images
/// and annotations, and (where the caller has an ensemble) each checkpoint's predicted label map at model resolution.
/// <see cref="Skipped"/> counts targets a planner had to leave out (e.g. objects cropped away).</summary>
public sealed class TargetPlanningInput(InMemorySegmentationSource heldOut, IReadOnlyList<Category> categories,
    Func<long, ImageRecord> imageOf, Func<long, IReadOnlyList<AnnotationRecord>> annotationsOf,
    Func<long, IReadOnlyList<byte[]>>? predictionsOf = null)
{
    public InMemorySegmentationSource HeldOut => heldOut;
    public IReadOnlyDictionary<int, int> CocoIdOfModelIndex { get; } = categories.ToDictionary(c => c.ModelIndex, c => c.CocoId);
    public ImageRecord ImageOf(long imageId) => imageOf(imageId);
    public IReadOnlyList<AnnotationRecord> AnnotationsOf(long imageId) => annotationsOf(imageId);
    public int Skipped { get; set; }

    public IReadOnlyList<byte[]> PredictionsOf(long imageId) => predictionsOf is null
        ? throw new InvalidOperationException($"held-out image {imageId}: this target kind needs the checkpoints' predictions, and none were given to the planner")
        : predictionsOf(imageId);
}
