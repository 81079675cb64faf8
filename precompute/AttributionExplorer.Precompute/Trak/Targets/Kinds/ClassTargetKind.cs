using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Outputs;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds;

/// <summary>One target per class present in the label map at model resolution (background excluded): the per-pixel
/// binary task "is it this class".</summary>
public sealed class ClassTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.TargetKinds.Single(k => k.Name == TargetKinds.Class);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        var example = input.HeldOut.Examples[exampleIndex];
        foreach (int index in example.Labels.Where(l => l != 0 && l != SemanticLabelMap.IgnoreIndex).Distinct().Order())
            yield return new PlannedTarget(exampleIndex, new NewTarget(example.ImageId, TargetKinds.Class, input.CocoIdOfModelIndex[index], null),
                new ClassLogOddsOutput(index));
    }
}
