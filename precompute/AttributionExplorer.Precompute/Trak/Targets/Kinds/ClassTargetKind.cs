using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Precompute.Trak.Targets.Kinds;

/// <summary>The class target the app shows ("class:{category}"): one of the class-target variants, chosen in the
/// registry (PluginRegistry.DefaultClassTarget), planned by it and filed under the kind "class". A class the variant
/// plans no target for (predicted pixels: the checkpoints predict the class nowhere) gets the fallback variant's
/// target instead, so every class present keeps its target.</summary>
public sealed class ClassTargetKind(ITargetKind variant, ITargetKind? fallback = null) : ITargetKind
{
    public TargetKindInfo Info { get; } = BuiltInPlugins.TargetKinds.Single(k => k.Name == TargetKinds.Class);

    /// <summary>The definition the class targets follow.</summary>
    public ITargetKind Variant => variant;

    /// <summary>The definition of the classes <see cref="Variant"/> leaves out, if any.</summary>
    public ITargetKind? Fallback => fallback;

    public IEnumerable<PlannedTarget> Plan(TargetPlanningInput input, int exampleIndex)
    {
        int skippedBefore = input.Skipped;
        var planned = variant.Plan(input, exampleIndex).ToList();
        if (fallback is not null && input.Skipped > skippedBefore)
        {
            var covered = planned.Select(t => t.Target.CategoryCocoId).ToHashSet();
            int skippedByVariant = input.Skipped - skippedBefore;
            var added = fallback.Plan(input, exampleIndex).Where(t => !covered.Contains(t.Target.CategoryCocoId)).ToList();
            planned.AddRange(added);
            input.Skipped -= Math.Min(added.Count, skippedByVariant);
        }
        return planned.OrderBy(t => t.Target.CategoryCocoId).Select(t => t with { Target = t.Target with { Kind = TargetKinds.Class } }).ToList();
    }
}
