using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds;

/// <summary>One target per non-crowd instance that keeps at least one pixel after the resize and crop: the full-image
/// output restricted to the instance's mask (instances cropped away entirely are counted as skipped).</summary>
public sealed class ObjectTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.TargetKinds.Single(k => k.Name == TargetKinds.Object);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        var example = input.HeldOut.Examples[exampleIndex];
        var image = input.ImageOf(example.ImageId);
        int size = input.HeldOut.Size;
        foreach (var annotation in input.AnnotationsOf(example.ImageId).Where(a => !a.IsCrowd))
        {
            var mask = DatabaseExamples.ResampleMask(RleCodec.Decode(annotation.Mask), image.Height, image.Width, size);
            if (!mask.Any(m => m)) { input.Skipped++; continue; }
            using var maskTensor = torch.tensor(mask, [size, size]);
            yield return new PlannedTarget(exampleIndex, new NewTarget(example.ImageId, TargetKinds.Object, annotation.CategoryCocoId, annotation.Id),
                new MaskedLogOddsOutput(maskTensor));
        }
    }
}
