using System.Diagnostics;
using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Worker.Bench.Scale;

/// <summary>One measured page read: its wall-clock times over the repeats, its budget and the last call's shape.</summary>
public sealed record ScaleFigure(string Name, int Calls, double P50Ms, double P95Ms, double MaxMs, double BudgetMs, PageShape Shape)
{
    public bool WithinBudget => P95Ms < BudgetMs;
}

public sealed record ScaleReport(string Store, ScaleShape Shape, double GenerateSeconds, IReadOnlyList<ScaleFigure> Figures)
{
    public bool WithinBudgets => Figures.All(f => f.WithinBudget);
}

/// <summary>`precompute bench scale`: generates (or reuses) a synthetic store of COCO size and times the web app's
/// page reads against it: p50/p95 of the gallery (first and last page), one target's influencers (both signs, first
/// and last rank page), the label-error queue (first, middle and last page; the object queue; a filtered queue), a flag
/// write and an export of half the training images. Budgets: p95 under 50 ms per page read, under 2 s for the export.</summary>
public static class ScaleBench
{
    public const double PageBudgetMs = 50;
    public const double ExportBudgetMs = 2000;

    public static ScaleReport Run(ScaleStore store, ScaleShape shape, int repeats, Action<string> log)
    {
        if (repeats < 1) throw new ArgumentException($"--repeats: {repeats}; give at least 1");
        var clock = Stopwatch.StartNew();
        var data = ScaleStoreBuilder.Ensure(store, shape, log);
        double generated = clock.Elapsed.TotalSeconds;
        log($"store ready in {generated:F1} s: {store.Description}");

        var pages = new ScalePages(store);
        var random = new Random(shape.Seed);
        long id = data.DatasetId;
        int galleryPages = (data.HeldOutIds.Count + ScalePages.GalleryPageSize - 1) / ScalePages.GalleryPageSize;
        int queuePages = (data.TrainIds.Count + ScalePages.QueuePageSize - 1) / ScalePages.QueuePageSize;
        int objectPages = Math.Max(1, (store.TrainRankings.CountObjects(data.ObjectRunId) + ScalePages.QueuePageSize - 1) / ScalePages.QueuePageSize);
        int rankPages = (shape.TopK + ScalePages.RanksPerColumn - 1) / ScalePages.RanksPerColumn;
        long HeldOut() => data.HeldOutIds[random.Next(data.HeldOutIds.Count)];
        long Train() => data.TrainIds[random.Next(data.TrainIds.Count)];
        string[] states = ["suspected", "confirmed", "ok", "fixed"];
        int exportRepeats = Math.Max(1, Math.Min(repeats, 5));

        var figures = new List<ScaleFigure>
        {
            Measure("gallery, first page", repeats, PageBudgetMs, () => pages.Gallery(id, 1)),
            Measure($"gallery, last page ({galleryPages})", repeats, PageBudgetMs, () => pages.Gallery(id, galleryPages)),
            Measure("influencers, both signs, ranks 1–10", repeats, PageBudgetMs, () => pages.Influencers(id, HeldOut(), 1)),
            Measure($"influencers, both signs, last rank page ({rankPages})", repeats, PageBudgetMs, () => pages.Influencers(id, HeldOut(), rankPages)),
            Measure("queue, first page", repeats, PageBudgetMs, () => pages.Queue(id, null, QueueFilter.None, 1)),
            Measure("queue, random page", repeats, PageBudgetMs, () => pages.Queue(id, null, QueueFilter.None, 1 + random.Next(queuePages))),
            Measure($"queue, last page ({queuePages})", repeats, PageBudgetMs, () => pages.Queue(id, null, QueueFilter.None, queuePages)),
            Measure("queue, unflagged, last page", repeats, PageBudgetMs, () => pages.Queue(id, null, new QueueFilter(QueueFilter.Unflagged), int.MaxValue)),
            Measure("object queue, first page", repeats, PageBudgetMs, () => pages.Queue(id, Plugins.ObjectConfidence.ObjectConfidenceDetector.Name, QueueFilter.None, 1)),
            Measure($"object queue, last page ({objectPages})", repeats, PageBudgetMs, () => pages.Queue(id, Plugins.ObjectConfidence.ObjectConfidenceDetector.Name, QueueFilter.None, objectPages)),
            Measure("flag write", repeats, PageBudgetMs, () => pages.FlagWrite(id, Train(), states[random.Next(states.Length)], "bench")),
            Measure($"export, drop bottom 50% ({data.TrainIds.Count - data.TrainIds.Count / 2} ids) + text", exportRepeats, ExportBudgetMs,
                () => pages.Export(id, data.SuspectRunId, 50, "bench")),
        };
        return new ScaleReport(store.Description, shape, generated, figures);
    }

    /// <summary>Two untimed calls (JIT, first reads of the file), then <paramref name="calls"/> timed ones.</summary>
    private static ScaleFigure Measure(string name, int calls, double budgetMs, Func<PageShape> read)
    {
        read();
        read();
        var times = new double[calls];
        PageShape shape = null!;
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            shape = read();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return new ScaleFigure(name, calls, Percentile(times, 0.50), Percentile(times, 0.95), times[^1], budgetMs, shape);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
