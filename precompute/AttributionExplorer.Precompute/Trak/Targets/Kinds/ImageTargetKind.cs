using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Trak.Outputs;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds;

/// <summary>The whole held-out image: mean pixel log-odds of the true class.</summary>
public sealed class ImageTargetKind : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.TargetKinds.Single(k => k.Name == TargetKinds.Image);

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex) =>
        [new PlannedTarget(exampleIndex, new NewTarget(input.HeldOut.Examples[exampleIndex].ImageId, TargetKinds.Image, null, null), FullImageLogOddsOutput.Instance)];
}
