using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Web.Services;

/// <summary>A detector of the label-error queue: one ordering of all training images, rank 1 = most suspect, held in a
/// run's overall-influence rows. <see cref="Run"/> is null until its command has completed once.
/// <see cref="IsDefault"/>: the registry's queue default; <see cref="Evidence"/>: what the study measured for it;
/// <see cref="Objects"/>: it ranks annotations (each with its image), not images.</summary>
public sealed record QueueDetector(string Name, string Title, string Description, string Command, AttributionRun? Run,
    bool IsDefault = false, string? Evidence = null, bool Objects = false);

/// <summary>The detectors the label-error queue (page and API) offers for a dataset: every TrainImages-scope ranking
/// method of the plug-in catalog (stored as runs of target kind "train"), then TRAK's overall influence (the mean of
/// the full-image run's scores, most negative first). Without a choice the first detector with a complete run is used.</summary>
public sealed class LabelErrorQueue(IAttributionRepository attributions, IPluginCatalog catalog, IDatasetRepository datasets)
{
    /// <summary>Target kind of the runs that hold a TrainImages-scope ranking.</summary>
    public const string TrainTargetKind = "train";
    /// <summary>Target kind of the runs that hold a TrainObjects-scope ranking.</summary>
    public const string TrainObjectsTargetKind = "train-objects";

    public IReadOnlyList<QueueDetector> Detectors(long datasetId)
    {
        string? name = datasets.Get(datasetId)?.Name;
        var methods = catalog.RankingMethods();
        var latest = attributions.LatestCompleteRuns(datasetId);
        var detectors = methods.Where(m => m.Scope is RankingScope.TrainImages or RankingScope.TrainObjects).OrderBy(m => m.Order)
            .Where(m => m.Name != AttributionMethods.Trak)
            .Select(m => new QueueDetector(m.Name, m.Title, m.Description, CommandText.ForDataset(m.Command, name),
                latest.Of(m.Name, m.Scope == RankingScope.TrainObjects ? TrainObjectsTargetKind : TrainTargetKind),
                m.QueueDefault, m.Evidence, m.Scope == RankingScope.TrainObjects))
            .ToList();
        var trak = methods.FirstOrDefault(m => m.Name == AttributionMethods.Trak);
        detectors.Add(new QueueDetector(AttributionMethods.Trak, $"{trak?.Title ?? "TRAK"} overall influence",
            "Mean TRAK score over all held-out images (full-image targets), most negative first: images that on average push the model away from the right answer.",
            CommandText.ForDataset(trak?.Command ?? "precompute trak --dataset NAME", name),
            latest.Of(AttributionMethods.Trak, TargetKinds.Image)));
        return detectors;
    }

    /// <summary>The named detector (null when no detector has that name), or without a name the default.</summary>
    public QueueDetector? Choose(IReadOnlyList<QueueDetector> detectors, string? method) =>
        method is null ? Default(detectors) : detectors.FirstOrDefault(d => d.Name == method);

    /// <summary>The registry's queue default when it has a complete run; else the first detector with one; TRAK's
    /// overall influence while none has one.</summary>
    public static QueueDetector Default(IReadOnlyList<QueueDetector> detectors) =>
        detectors.FirstOrDefault(d => d.IsDefault && d.Run is not null) ?? detectors.FirstOrDefault(d => d.Run is not null && !d.Objects) ?? detectors[^1];
}
