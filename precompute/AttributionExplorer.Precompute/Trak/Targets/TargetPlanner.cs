using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;

namespace AttributionExplorer.Precompute.Trak.Targets;

/// <summary>The TRAK targets of held-out images: the full image; one class target per class present in the label map at
/// model resolution (background excluded); one object target per non-crowd instance that keeps at least one pixel
/// after the resize and crop (instances cropped away entirely are counted in <see cref="TargetPlan.SkippedObjects"/>).</summary>
public static class TargetPlanner
{
    public static TargetPlan Plan(InMemorySegmentationSource heldOut, IReadOnlyList<Category> categories,
        Func<long, ImageRecord> imageOf, Func<long, IReadOnlyList<AnnotationRecord>> annotationsOf, ISet<string> kinds)
    {
        var cocoIdOfIndex = categories.ToDictionary(c => c.ModelIndex, c => c.CocoId);
        var targets = new List<PlannedTarget>();
        int skipped = 0;
        for (int e = 0; e < heldOut.Count; e++)
        {
            var example = heldOut.Examples[e];
            if (kinds.Contains(TargetKinds.Image))
                targets.Add(new PlannedTarget(e, new NewTarget(example.ImageId, TargetKinds.Image, null, null), FullImageLogOddsOutput.Instance));
            if (kinds.Contains(TargetKinds.Class))
                foreach (int index in example.Labels.Where(l => l != 0 && l != SemanticLabelMap.IgnoreIndex).Distinct().Order())
                    targets.Add(new PlannedTarget(e, new NewTarget(example.ImageId, TargetKinds.Class, cocoIdOfIndex[index], null), new ClassLogOddsOutput(index)));
            if (kinds.Contains(TargetKinds.Object))
            {
                var image = imageOf(example.ImageId);
                foreach (var annotation in annotationsOf(example.ImageId).Where(a => !a.IsCrowd))
                {
                    var mask = DatabaseExamples.ResampleMask(RleCodec.Decode(annotation.Mask), image.Height, image.Width, heldOut.Size);
                    if (!mask.Any(m => m)) { skipped++; continue; }
                    using var maskTensor = torch.tensor(mask, [heldOut.Size, heldOut.Size]);
                    targets.Add(new PlannedTarget(e, new NewTarget(example.ImageId, TargetKinds.Object, annotation.CategoryCocoId, annotation.Id),
                        new MaskedLogOddsOutput(maskTensor)));
                }
            }
        }
        return new TargetPlan(targets, skipped);
    }
}

public sealed record TargetPlan(IReadOnlyList<PlannedTarget> Targets, int SkippedObjects) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Targets) (t.Output as IDisposable)?.Dispose();
    }
}
