using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Outputs;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassAllPixels;

/// <summary>The seed's class target: every non-ignored pixel of the image is the binary task "is it class c", one
/// target per class present. Background pixels outnumber the class's own, so they dominate the mean.</summary>
public sealed class ClassAllPixelsTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.ClassTargetVariants.Single(k => k.Name == TargetKinds.ClassAllPixels);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        var example = input.HeldOut.Examples[exampleIndex];
        foreach (int c in ClassesPresent.In(example.Labels))
            yield return new PlannedTarget(exampleIndex, new NewTarget(example.ImageId, Info.Name, input.CocoIdOfModelIndex[c], null),
                new ClassLogOddsOutput(c));
    }
}
