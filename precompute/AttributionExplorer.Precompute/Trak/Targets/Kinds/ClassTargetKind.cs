using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds;

/// <summary>The class target the app shows ("class:{category}"): one of the class-target variants, chosen in the
/// registry (PluginRegistry.DefaultClassTarget), planned by it and filed under the kind "class".</summary>
public sealed class ClassTargetKind(ITargetKind variant) : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.TargetKinds.Single(k => k.Name == TargetKinds.Class);

    /// <summary>The definition the class targets follow.</summary>
    public ITargetKind Variant => variant;

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex) =>
        variant.Plan(input, exampleIndex).Select(t => t with { Target = t.Target with { Kind = TargetKinds.Class } });
}
