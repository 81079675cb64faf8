using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>The one place plug-ins are registered. The CLI builds its verbs from here, and every command publishes
/// these descriptions to the database (<see cref="IPluginCatalog"/>), from which the web app builds its columns,
/// pickers, API and evaluation page.</summary>
public static class PluginRegistry
{
    private const string Worker = "dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll";

    public static readonly IReadOnlyList<RankingMethodInfo> RankingMethods =
    [
        new(AttributionMethods.Trak, "TRAK", "Gradient attribution: a positive score means the training image raises the target's output, a negative one lowers it.",
            RankingScope.PerTarget, Signed: true, [TargetKinds.Image, TargetKinds.Class, TargetKinds.Object, TargetKinds.Region], 0, $"{Worker} trak --dataset NAME"),
        new(AttributionMethods.Esvm, "ESVM (MoCo)", "Exemplar-SVM decision value in the MoCo embedding: higher = more like the target.",
            RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 1, $"{Worker} similarity --dataset NAME"),
        new(AttributionMethods.MocoCosine, "MoCo cosine", "Cosine similarity in the MoCo embedding: higher = more like the target.",
            RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 2, $"{Worker} similarity --dataset NAME"),
        new(AttributionMethods.ClipCosine, "CLIP cosine", "Cosine similarity in the configured CLIP embedding: higher = more like the target.",
            RankingScope.PerTarget, Signed: false, [TargetKinds.Image, TargetKinds.Class], 3, $"{Worker} similarity --dataset NAME"),
    ];

    public static void Publish(IPluginCatalog catalog) =>
        catalog.Publish(RankingMethods, BuiltInPlugins.TargetKinds, BuiltInPlugins.Evaluations);
}
