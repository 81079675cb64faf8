using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;

namespace AttributionExplorer.Precompute.Trak.Targets;

/// <summary>The TRAK targets of held-out images: every given target kind's plan, example by example.</summary>
public static class TargetPlanner
{
    public static TargetPlan Plan(InMemorySegmentationSource heldOut, IReadOnlyList<Category> categories,
        Func<long, ImageRecord> imageOf, Func<long, IReadOnlyList<AnnotationRecord>> annotationsOf, IReadOnlyList<ITargetKind> kinds,
        Func<long, IReadOnlyList<byte[]>>? predictionsOf = null)
    {
        var input = new TargetPlanningInput(heldOut, categories, imageOf, annotationsOf, predictionsOf);
        var targets = new List<PlannedTarget>();
        for (int e = 0; e < heldOut.Count; e++)
            foreach (var kind in kinds) targets.AddRange(kind.Plan(input, e));
        return new TargetPlan(targets, input.Skipped);
    }
}

public sealed record TargetPlan(IReadOnlyList<PlannedTarget> Targets, int SkippedObjects) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Targets) (t.Output as IDisposable)?.Dispose();
    }
}
