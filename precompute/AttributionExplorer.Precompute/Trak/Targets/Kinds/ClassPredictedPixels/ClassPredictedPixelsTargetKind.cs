using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassPredictedPixels;

/// <summary>The class target over the pixels the checkpoint ensemble predicts as c (at least half of the members,
/// <see cref="EnsembleClassMask"/>): the binary task's log-odds of the correct answer there, so a pixel predicted c but
/// labelled otherwise counts against c. One target per class present in the label map; a class the ensemble predicts
/// nowhere gets none (counted as skipped).</summary>
public sealed class ClassPredictedPixelsTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.ClassTargetVariants.Single(k => k.Name == TargetKinds.ClassPredictedPixels);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        var example = input.HeldOut.Examples[exampleIndex];
        int size = input.HeldOut.Size;
        var predictions = input.PredictionsOf(example.ImageId);
        foreach (int c in ClassesPresent.In(example.Labels))
        {
            var pixels = EnsembleClassMask.Of(predictions, c);
            if (!pixels.Any(p => p)) { input.Skipped++; continue; }
            using var mask = torch.tensor(pixels, [size, size]);
            yield return new PlannedTarget(exampleIndex, new NewTarget(example.ImageId, Info.Name, input.CocoIdOfModelIndex[c], null),
                new ClassRestrictedLogOddsOutput(c, mask));
        }
    }
}
