using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Services;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Web.Tests;

/// <summary>A real SQLite file with 4 training and 1 held-out image (classes 3 "cat" and 90 "toothbrush").</summary>
internal sealed class SeededDatabase : IDisposable
{
    public SeededDatabase()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ae-web-{Guid.NewGuid():N}", "test.db");
        Database = new SqliteDatabase(path);
        Database.Migrate();
        Datasets = new DatasetRepository(Database);
        RankingRuns = new RankingRunRepository(Database);
        Scores = new ScoreRepository(Database);
        Agreement = new AgreementRepository(Database);
        Ledger = new RunLedgerRepository(Database);
        Attributions = new AttributionReads(RankingRuns, Scores, new TrainRankingRepository(Database), Agreement);
        Jobs = new JobRepository(Database);
        Catalog = new PluginCatalogRepository(Database);
        Catalog.Publish(Methods, BuiltInPlugins.TargetKinds, BuiltInPlugins.Evaluations);
        var mask = RleCodec.Encode([false, true, true, false, true, false], 2, 3);
        var images = Enumerable.Range(0, 5).Select(i => new ImportedImage(100 + i, i < 4 ? Splits.Train : Splits.Val, $"f{i}.png", 3, 2,
            [new ImportedAnnotation(1000 + i, i % 2 == 0 ? 3 : 90, false, mask, [0, 0, 3, 2], RleCodec.Area(mask))])).ToList();
        DatasetId = Datasets.Import(new DatasetImport("sample", "/nonexistent", "test",
            [new Category(3, "cat", "animal", 1), new Category(90, "toothbrush", null, 2)], images, []));
        Train = Datasets.GetImages(DatasetId, Splits.Train, 0, 10).Select(i => i.Id).ToArray();
        HeldOut = Datasets.GetImages(DatasetId, Splits.Val, 0, 10).Single().Id;
    }

    /// <summary>The ranking methods the worker registers, as the test knows them (the web must not need more).</summary>
    public static readonly IReadOnlyList<RankingMethodInfo> Methods =
    [
        new(AttributionMethods.Trak, "TRAK", "signed attribution", RankingScope.PerTarget, true,
            [TargetKinds.Image, TargetKinds.Class, TargetKinds.Object, TargetKinds.Region], 0, "precompute trak --dataset NAME"),
        new(AttributionMethods.Esvm, "ESVM (MoCo)", "exemplar SVM", RankingScope.PerTarget, false, [TargetKinds.Image, TargetKinds.Class], 1,
            "precompute similarity --dataset NAME"),
        new(AttributionMethods.MocoCosine, "MoCo cosine", "cosine", RankingScope.PerTarget, false, [TargetKinds.Image, TargetKinds.Class], 2,
            "precompute similarity --dataset NAME"),
        new(AttributionMethods.ClipCosine, "CLIP cosine", "cosine", RankingScope.PerTarget, false, [TargetKinds.Image, TargetKinds.Class], 3,
            "precompute similarity --dataset NAME"),
    ];

    /// <summary>A label-error detector (TrainImages scope) a plug-in could add.</summary>
    public static RankingMethodInfo Detector(string name, int order) =>
        new(name, $"Detector {name}", $"{name}: higher = more suspect", RankingScope.TrainImages, false, [], order, $"precompute rank {name} --dataset NAME");

    public SqliteDatabase Database { get; }
    public PluginCatalogRepository Catalog { get; }
    public DatasetRepository Datasets { get; }
    public IRankingRunRepository RankingRuns { get; }
    public IScoreRepository Scores { get; }
    public IAgreementRepository Agreement { get; }
    public IRunLedger Ledger { get; }
    /// <summary>The read service the pages use, over the same database.</summary>
    public IAttributionRepository Attributions { get; }
    public JobRepository Jobs { get; }
    public long DatasetId { get; }
    public long[] Train { get; }
    public long HeldOut { get; }

    /// <summary>A complete ranking run (through the run ledger, as the worker writes one) with one target on the
    /// held-out image; returns the target id.</summary>
    public long AddRun(string method, NewTarget target, float[] scores)
    {
        var run = new RunExecutor(Ledger, "test").Execute(DatasetId, "v1", new TestRanking(method, target.Kind, Guid.NewGuid().ToString()), [], scope =>
        {
            RankingRuns.Begin(scope.RunId, DatasetId, method, target.Kind, Train);
            Scores.WriteScores(scope.RunId, [(target, scores)], ScoreDtype.Float32);
            Scores.Summarize(scope.RunId, 10);
            return 0;
        }).Run;
        return Scores.GetTargets(run.Id, target.ImageId).Single().Id;
    }

    /// <summary>A ranking run a worker is still writing (claimed, not complete); returns its id.</summary>
    public long AddUnfinishedRun(string method, string kind)
    {
        var run = new RunExecutor(Ledger, "test").Ensure(DatasetId, "v1", new TestRanking(method, kind, Guid.NewGuid().ToString()), []);
        Ledger.TryClaim(run.Id, "test", TimeSpan.FromMinutes(5), DateTime.UtcNow);
        RankingRuns.Begin(run.Id, DatasetId, method, kind, Train);
        return run.Id;
    }

    /// <summary>A complete evaluation run as the worker records it (kind "eval.{kind}", one unit), taking <paramref name="seconds"/>.</summary>
    public long AddEvaluation(string kind, string parametersJson, string resultsJson, double seconds)
    {
        var run = Ledger.Ensure(DatasetId, "eval." + kind, Guid.NewGuid().ToString(), parametersJson, []);
        Ledger.TryClaim(run.Id, "test", TimeSpan.FromMinutes(5), DateTime.UtcNow);
        Ledger.SaveUnit(run.Id, "test", new RunUnit("step", "{}", seconds));
        Ledger.Complete(run.Id, "test", resultsJson, seconds);
        return run.Id;
    }

    private sealed record TestRanking(string Method, string Kind, string Tag) : IRunParameters
    {
        public string RunKind => "rank." + Method;
    }

    /// <summary>A user with <paramref name="role"/> (made on first use) and a new API token of theirs.</summary>
    public string TokenFor(string name, string role)
    {
        var users = new UserRepository(Database);
        var user = users.FindByNormalizedName(UserNames.Normalize(name)) ?? users.Create(new NewUser(name, role, null));
        string token = ApiTokens.New();
        users.AddToken(user.Id, ApiTokens.Hash(token), "test");
        return token;
    }

    /// <summary>Imports a second, smaller dataset (2 training images, 1 held-out) and returns its id.</summary>
    public long ImportOther(string name)
    {
        var mask = RleCodec.Encode([true, false, false, false, true, true], 2, 3);
        var images = Enumerable.Range(0, 3).Select(i => new ImportedImage(200 + i, i < 2 ? Splits.Train : Splits.Val, $"g{i}.png", 3, 2,
            [new ImportedAnnotation(2000 + i, 3, false, mask, [0, 0, 3, 2], RleCodec.Area(mask))])).ToList();
        return Datasets.Import(new DatasetImport(name, "/nonexistent", "test", [new Category(3, "cat", "animal", 1)], images, []));
    }

    /// <summary>Publishes the built-in methods plus these, as a worker with more plug-ins would.</summary>
    public void PublishAlso(params RankingMethodInfo[] extra) =>
        Catalog.Publish([.. Methods, .. extra], BuiltInPlugins.TargetKinds, BuiltInPlugins.Evaluations);

    /// <summary>A complete TrainImages-scope run (target kind "train") whose overall influence ranks the training
    /// images in this order, rank 1 first; returns the run id.</summary>
    public long AddDetectorRun(string method, params long[] mostSuspectFirst)
    {
        var trainRankings = new TrainRankingRepository(Database);
        return new RunExecutor(Ledger, "test").Execute(DatasetId, "v1", new TestRanking(method, "train", Guid.NewGuid().ToString()), [], scope =>
        {
            RankingRuns.Begin(scope.RunId, DatasetId, method, "train", Train);
            trainRankings.Write(scope.RunId, mostSuspectFirst.Select((id, rank) => (id, (float)(mostSuspectFirst.Length - rank))).ToList());
            return 0;
        }).Run.Id;
    }

    /// <summary>A complete object detector run: annotations (with their images) most suspect first.</summary>
    public long AddObjectDetectorRun(string method, params (long AnnotationId, long TrainImageId)[] mostSuspectFirst)
    {
        var trainRankings = new TrainRankingRepository(Database);
        return new RunExecutor(Ledger, "test").Execute(DatasetId, "v1", new TestRanking(method, "train-objects", Guid.NewGuid().ToString()), [], scope =>
        {
            RankingRuns.Begin(scope.RunId, DatasetId, method, "train-objects", Train);
            trainRankings.WriteObjects(scope.RunId, mostSuspectFirst.Select((o, rank) => (o.AnnotationId, o.TrainImageId, (float)rank / 10)).ToList());
            return 0;
        }).Run.Id;
    }

    /// <summary>A checkpoint of a complete training run with its stored predictions (square label maps at model
    /// resolution) of the given images; returns the checkpoint id.</summary>
    public long AddCheckpoint(int seed, params (long ImageId, byte[] Labels)[] predictions)
    {
        var checkpoints = new CheckpointRepository(Database);
        long id = 0;
        new RunExecutor(Ledger, "test").Execute(DatasetId, "v1", new TestRanking("train", $"seed{seed}", Guid.NewGuid().ToString()), [], scope =>
        {
            id = checkpoints.Add(new CheckpointRecord(0, DatasetId, seed, Path.Combine(Path.GetDirectoryName(Database.Path)!, $"seed{seed}.bin"), 0.5, "{}", 1,
                DateTime.UtcNow, scope.RunId, 1));
            return 0;
        });
        checkpoints.SavePredictions(predictions.Select(p =>
        {
            int side = (int)Math.Round(Math.Sqrt(p.Labels.Length));
            return new PredictionRecord(id, p.ImageId, side, side, p.Labels);
        }).ToList());
        return id;
    }

    public static RankingMethodInfo ObjectDetector(string name, int order) =>
        new(name, $"Detector {name}", $"{name}: per annotation", RankingScope.TrainObjects, false, [], order, $"precompute rank {name} --dataset NAME");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(Database.Path)!, recursive: true);
    }
}
