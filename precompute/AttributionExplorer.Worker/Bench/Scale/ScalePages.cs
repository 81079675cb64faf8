using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Bench.Scale;

/// <summary>What one page read returned, for the bench's shape checks.</summary>
public sealed record PageShape(int Items, int Total);

/// <summary>The storage reads of the web app's pages, call for call (the same port methods with the same arguments, in
/// the same order), so `bench scale` measures what a page costs. Each method names the page code it follows; the
/// plug-in catalog is the worker's registry, which the worker publishes for the app.</summary>
public sealed class ScalePages(ScaleStore store)
{
    /// <summary>Gallery.razor's page size.</summary>
    public const int GalleryPageSize = 24;
    /// <summary>QueuePage.razor's page size.</summary>
    public const int QueuePageSize = 50;
    /// <summary>HeldOutImagePage.razor's default number of ranks per column.</summary>
    public const int RanksPerColumn = 10;
    /// <summary>FlagEditor.razor's history length.</summary>
    public const int FlagHistoryShown = 5;

    private static readonly IReadOnlyList<RankingMethodInfo> Methods = PluginRegistry.RankingMethods.Select(m => m.Info).ToList();
    private static readonly IReadOnlyList<TargetKindInfo> Kinds = PluginRegistry.TargetKinds.Select(k => k.Info).Append(PluginRegistry.Region).ToList();

    /// <summary>Gallery.razor OnParametersSet: held-out images, one page.</summary>
    public PageShape Gallery(long datasetId, int page)
    {
        var dataset = store.Datasets.Get(datasetId) ?? throw new KeyNotFoundException($"dataset {datasetId}");
        int total = store.Datasets.CountImages(dataset.Id, Splits.Val);
        int pages = Math.Max(1, (total + GalleryPageSize - 1) / GalleryPageSize);
        page = Math.Clamp(page, 1, pages);
        var images = store.Datasets.GetImages(dataset.Id, Splits.Val, (page - 1) * GalleryPageSize, GalleryPageSize);
        return new PageShape(images.Count, total);
    }

    /// <summary>HeldOutImagePage.razor OnParametersSet + ReadPaging and MethodColumns.razor OnParametersSet
    /// (TargetRankings.AvailableTargets, StoredRanks, Columns, Agreement), full-image target: one target's influencers,
    /// both signs of every signed method, rank page <paramref name="rankPage"/>. Items = influencers shown.</summary>
    public PageShape Influencers(long datasetId, long imageId, int rankPage, int k = RanksPerColumn)
    {
        var image = store.Datasets.GetImage(imageId);
        if (image is null || image.DatasetId != datasetId || image.Split == Splits.Train) throw new KeyNotFoundException($"held-out image {imageId}");
        store.Datasets.GetAnnotations(imageId);
        store.Datasets.GetCategories(datasetId);
        store.Checkpoints.List(datasetId);
        var perTarget = Methods.Where(m => m.Scope == RankingScope.PerTarget).OrderBy(m => m.Order).ToList();
        var latest = Latest(datasetId);
        foreach (var kind in Kinds.OrderBy(k => k.Order))
            foreach (var m in perTarget.Where(m => m.TargetKinds.Contains(kind.Name)))
                if (latest(m.Name, kind.Name) is { } run)
                    store.Scores.GetTargets(run.Id, imageId);

        bool FullImage(AttributionTarget t) => t.Kind == TargetKinds.Image && t.CategoryCocoId is null && t.AnnotationId is null;
        latest = Latest(datasetId);
        int storedRanks = perTarget.Where(m => m.TargetKinds.Contains(TargetKinds.Image))
            .Select(m => latest(m.Name, TargetKinds.Image)).OfType<AttributionRun>()
            .Select(run => store.Scores.GetTargets(run.Id, imageId).FirstOrDefault(FullImage)).OfType<AttributionTarget>()
            .Select(t => store.Scores.GetInfluencers(t.Id, true, 0, int.MaxValue).Count).DefaultIfEmpty(0).Max();
        int lastPage = Math.Max(1, (storedRanks + k - 1) / k);
        int skip = (Math.Min(rankPage, lastPage) - 1) * k;

        var columns = new List<(RankingMethodInfo Method, bool Positive, AttributionRun? Run, AttributionTarget? Target, IReadOnlyList<Influencer> Items)>();
        latest = Latest(datasetId);
        foreach (var method in perTarget)
        {
            var run = method.TargetKinds.Contains(TargetKinds.Image) ? latest(method.Name, TargetKinds.Image) : null;
            var target = run is null ? null : store.Scores.GetTargets(run.Id, imageId).FirstOrDefault(FullImage);
            foreach (bool positive in method.Signed ? new[] { true, false } : [true])
            {
                var items = target is null ? [] : store.Scores.GetInfluencers(target.Id, positive, skip, k);
                if (run is not null && target is not null) store.RankingRuns.GetReliability(run.Id);
                columns.Add((method, positive, run, target, items));
            }
        }
        store.Datasets.GetImagesByIds(columns.SelectMany(c => c.Items).Select(i => i.TrainImageId).Distinct().ToList());
        foreach (var c in columns.Where(c => c.Target is not null)) store.Scores.GetInfluencers(c.Target!.Id, c.Positive, 0, 1);
        store.Agreement.Get(columns.Where(c => c.Target is not null && c.Positive).Select(c => c.Target!.Id).Distinct().ToList());
        foreach (var run in columns.Where(c => c.Run is not null && c.Target is not null).Select(c => c.Run!.Id).Distinct()) store.RankingRuns.GetKernels(run);
        var signed = columns.FirstOrDefault(c => c.Method.Signed && c.Target is not null);
        if (signed.Target is not null) InfluenceHistogram.Of(store.Scores.GetScores(signed.Target.Id), 40);
        return new PageShape(columns.Sum(c => c.Items.Count), storedRanks);
    }

    /// <summary>LatestRuns (web): the newest complete run of every (method, kind), one read per page section.</summary>
    private Func<string, string, AttributionRun?> Latest(long datasetId)
    {
        var runs = store.RankingRuns.LatestCompletePerKind(datasetId).ToDictionary(r => (r.Method, r.TargetKind));
        return (method, kind) => runs.GetValueOrDefault((method, kind));
    }

    /// <summary>QueuePage.razor OnParametersSet (with LabelErrorQueue.Detectors / Choose / Default): the label-error
    /// queue of detector <paramref name="method"/> (null: the default), page <paramref name="page"/>.</summary>
    public PageShape Queue(long datasetId, string? method, QueueFilter filter, int page)
    {
        var dataset = store.Datasets.Get(datasetId) ?? throw new KeyNotFoundException($"dataset {datasetId}");
        var latest = Latest(datasetId);
        var detectors = Methods.Where(m => m.Scope is RankingScope.TrainImages or RankingScope.TrainObjects).OrderBy(m => m.Order)
            .Where(m => m.Name != AttributionMethods.Trak)
            .Select(m => new Detector(m.Name, m.QueueDefault, m.Scope == RankingScope.TrainObjects,
                latest(m.Name, m.Scope == RankingScope.TrainObjects ? "train-objects" : "train")))
            .Append(new Detector(AttributionMethods.Trak, false, false, latest(AttributionMethods.Trak, TargetKinds.Image)))
            .ToList();
        var detector = method is null
            ? detectors.FirstOrDefault(d => d.QueueDefault && d.Run is not null) ?? detectors.FirstOrDefault(d => d.Run is not null && !d.Objects) ?? detectors[^1]
            : detectors.First(d => d.Name == method);
        if (detector.Run is not { } run) throw new InvalidOperationException($"detector {detector.Name} has no complete run");
        store.Datasets.GetCategories(dataset.Id);
        int unfiltered = detector.Objects ? store.TrainRankings.CountObjects(run.Id) : store.TrainRankings.Count(run.Id);
        int total = filter.IsEmpty ? unfiltered : store.TrainRankings.Queue(run.Id, detector.Objects, filter, 0, 0).Total;
        int pages = Math.Max(1, (total + QueuePageSize - 1) / QueuePageSize);
        var slice = store.TrainRankings.Queue(run.Id, detector.Objects, filter, (Math.Min(page, pages) - 1) * QueuePageSize, QueuePageSize);
        store.Datasets.GetPlantedErrors(dataset.Id);
        if (!detector.Objects) store.TrainRankings.Histogram(run.Id, InfluenceHistogram.QueueBins);
        store.RankingRuns.GetReliability(run.Id);
        store.RankingRuns.GetKernels(run.Id);
        return new PageShape(slice.Items.Count, total);
    }

    private sealed record Detector(string Name, bool QueueDefault, bool Objects, AttributionRun? Run);

    /// <summary>FlagEditor.razor: the flag as loaded, Save against its version, the history shown after it.</summary>
    public PageShape FlagWrite(long datasetId, long imageId, string state, string author)
    {
        var current = store.Flags.Get(imageId);
        var result = store.Flags.Save(datasetId, imageId, state, $"bench scale {state}", author, current?.Version ?? 0);
        if (result.IsConflict) throw new InvalidOperationException($"flag of image {imageId} changed while the bench wrote it");
        var history = store.Flags.History(imageId, FlagHistoryShown);
        return new PageShape(history.Count, result.Flag!.Version);
    }

    /// <summary>ExportService.Create (rule: drop the bottom <paramref name="dropBottomPercent"/>% of run
    /// <paramref name="runId"/>'s ranking) then ExportService.Download as text. Items = kept images.</summary>
    public PageShape Export(long datasetId, long runId, double dropBottomPercent, string author)
    {
        if (store.Datasets.Get(datasetId) is null) throw new KeyNotFoundException($"dataset {datasetId}");
        var rule = new ExportRule(runId, dropBottomPercent, []);
        if (rule.Problem() is { } problem) throw new ArgumentException(problem);
        if (store.RankingRuns.ListComplete(datasetId).All(r => r.Id != runId)) throw new ArgumentException($"runId: {runId} is not a complete run");
        int ranked = store.TrainRankings.Count(runId);
        var ranks = store.TrainRankings.Page(runId, 0, ranked).Select(o => (o.TrainImageId, o.Rank)).ToList();
        int trainCount = store.Datasets.CountImages(datasetId, Splits.Train);
        var trainIds = store.Datasets.GetImages(datasetId, Splits.Train, 0, trainCount).Select(i => i.Id).ToArray();
        var kept = CuratedSubset.Select(trainIds, ranks, new HashSet<long>(), rule.DropBottomPercent);
        long exportId = store.Exports.Save(datasetId, author, rule, kept);
        var saved = store.Exports.Get(exportId)!;

        var export = store.Exports.Get(exportId)!;
        var images = store.Datasets.GetImagesByIds(store.Exports.GetImageIds(exportId)).OrderBy(i => i.Id).ToArray();
        if (images.Length != export.ImageCount) throw new InvalidOperationException($"export {exportId} lists {export.ImageCount} images but {images.Length} exist");
        string text = ExportFormats.PlainText(images);
        return new PageShape(saved.ImageCount, text.Length);
    }
}
