using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Parameters of the ranking runs the contracts write (kind "rank.{method}"); <see cref="Label"/> makes distinct identities.</summary>
public sealed record TestRankingParameters(string Method, string TargetKind, string Label = "") : IRunParameters
{
    public string RunKind => "rank." + Method;
}

/// <summary>Parameters of a generic ledger run of any kind.</summary>
public sealed record TestRunParameters(string Kind, int Seed = 0) : IRunParameters
{
    public string RunKind => Kind;
}

public sealed record TestRunResult(int Count);

/// <summary>A small dataset and the ways the contracts write to a storage back end: only through its ports.</summary>
public static class SampleData
{
    public const string Worker = "test-worker";

    /// <summary>4 train + 2 val images of 3×2 with one annotation each (image 101 a crowd), two categories and one planted error.</summary>
    public static DatasetImport Import(string name = "sample", int train = 4, int val = 2, string imageRoot = "/data/images")
    {
        var mask = RleCodec.Encode([false, true, true, false, true, false], 2, 3);
        var images = new List<ImportedImage>();
        for (int i = 0; i < train + val; i++)
            images.Add(new ImportedImage(100 + i, i < train ? Splits.Train : Splits.Val, $"f{i}.png", 3, 2,
                [new ImportedAnnotation(1000 + i, i % 2 == 0 ? 3 : 90, i == 1, mask, [0, 0, 3, 2], RleCodec.Area(mask))]));
        return new DatasetImport(name, imageRoot, "test", [new Category(3, "cat", "animal", 1), new Category(90, "toothbrush", null, 2)],
            images, [new PlantedErrorByCocoId(101, PlantedErrorKinds.ClassConfusion, "cat as toothbrush")]);
    }

    public sealed record Dataset(long Id, string Version, long[] Train, long[] Val);

    public static Dataset ImportDataset(IStorageUnderTest storage, DatasetImport? import = null)
    {
        long id = storage.Datasets.Import(import ?? Import());
        return new Dataset(id, storage.Datasets.Get(id)!.Version,
            storage.Datasets.GetImages(id, Splits.Train, 0, 1000).Select(i => i.Id).ToArray(),
            storage.Datasets.GetImages(id, Splits.Val, 0, 1000).Select(i => i.Id).ToArray());
    }

    public static RunExecutor Executor(IStorageUnderTest storage, string owner = Worker, TimeSpan? lease = null, Func<DateTime>? clock = null) =>
        new(storage.Ledger, owner, lease ?? TimeSpan.FromMinutes(5), clock);

    /// <summary>A complete ranking run written as the worker writes one: RunExecutor → Begin → WriteScores → Summarize.</summary>
    public static RunOutcome<TestRunResult> CompleteRanking(IStorageUnderTest storage, Dataset dataset, string method, string targetKind,
        IReadOnlyList<(NewTarget Target, float[] Scores)> rows, ScoreDtype dtype, int topK, string label = "") =>
        Executor(storage).Execute(dataset.Id, dataset.Version, new TestRankingParameters(method, targetKind, label), [], scope =>
        {
            storage.RankingRuns.Begin(scope.RunId, dataset.Id, method, targetKind, dataset.Train);
            storage.Scores.WriteScores(scope.RunId, rows, dtype);
            storage.Scores.Summarize(scope.RunId, topK);
            return new TestRunResult(rows.Count);
        });

    /// <summary>A ranking run claimed and begun but never completed (its worker is still at it).</summary>
    public static long RunningRanking(IStorageUnderTest storage, Dataset dataset, string method, string targetKind, string label)
    {
        var run = Executor(storage).Ensure(dataset.Id, dataset.Version, new TestRankingParameters(method, targetKind, label), []);
        Assert.NotNull(storage.Ledger.TryClaim(run.Id, Worker, TimeSpan.FromMinutes(5), DateTime.UtcNow));
        storage.RankingRuns.Begin(run.Id, dataset.Id, method, targetKind, dataset.Train);
        return run.Id;
    }

    /// <summary>A complete ledger run of <paramref name="kind"/> with nothing else written (a training or embedding run).</summary>
    public static RunRecord CompleteRun(IStorageUnderTest storage, Dataset dataset, string kind, int seed = 0, Action<long>? body = null) =>
        Executor(storage).Execute(dataset.Id, dataset.Version, new TestRunParameters(kind, seed), [], scope =>
        {
            body?.Invoke(scope.RunId);
            return new TestRunResult(0);
        }).Run;

    public static NewTarget ImageTarget(long imageId) => new(imageId, TargetKinds.Image, null, null);
}
