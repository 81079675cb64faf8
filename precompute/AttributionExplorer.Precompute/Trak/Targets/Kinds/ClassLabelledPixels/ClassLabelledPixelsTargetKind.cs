using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassLabelledPixels;

/// <summary>The class target over the pixels labelled c only: the mean log-odds of c where the annotation says c
/// (every instance of the class together), one target per class present.</summary>
public sealed class ClassLabelledPixelsTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.ClassTargetVariants.Single(k => k.Name == TargetKinds.ClassLabelledPixels);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        var example = input.HeldOut.Examples[exampleIndex];
        int size = input.HeldOut.Size;
        foreach (int c in ClassesPresent.In(example.Labels))
        {
            using var mask = torch.tensor(example.Labels.Select(l => l == c).ToArray(), [size, size]);
            yield return new PlannedTarget(exampleIndex, new NewTarget(example.ImageId, Info.Name, input.CocoIdOfModelIndex[c], null),
                new ClassRestrictedLogOddsOutput(c, mask));
        }
    }
}
