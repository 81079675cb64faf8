using System.Text.Json.Nodes;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Tests.Shared;
using AttributionExplorer.Worker.Evaluations;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

/// <summary>The tiny demo (every ranking method, agreement, then the label-error evaluation) computed with the same
/// seeds once into SQLite, the oracle, and once into PostgreSQL (a database of the throwaway test cluster). Both are
/// read back through the storage ports and compared by COCO ids, since database ids are each database's own.</summary>
public sealed class DemoPipelineOnPostgresTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-pg-pipeline").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [SkippableFact]
    public void TheTinyDemoOnPostgresComputesWhatItComputesOnSqlite()
    {
        using var database = PostgresCluster.Require().CreateDatabase(migrated: false);
        var sqlite = Compute(TinyDemo.Options(Path.Combine(root, "sqlite")));
        var postgres = Compute(OnPostgres(TinyDemo.Options(Path.Combine(root, "postgres")), database.ConnectionString));

        Assert.Equal(2, sqlite.Planted.Count);
        Assert.Equal(sqlite.Planted, postgres.Planted);
        Assert.Equal(sqlite.Checkpoints, postgres.Checkpoints);
        Assert.Equal(sqlite.Runs, postgres.Runs);

        Assert.Contains(sqlite.Scores.Keys, k => k.StartsWith("trak/image "));
        Assert.Contains(sqlite.Scores.Keys, k => k.StartsWith("trak/object "));
        Assert.Equal(sqlite.Scores.Keys.Order(), postgres.Scores.Keys.Order());
        foreach (var (key, expected) in sqlite.Scores) AssertClose(expected, postgres.Scores[key], key);

        Assert.Contains("suspect/train", sqlite.Queues.Keys);
        Assert.Contains("object-confidence/train-objects", sqlite.Queues.Keys);
        Assert.Equal(sqlite.Queues.Keys.Order(), postgres.Queues.Keys.Order());
        foreach (var (key, expected) in sqlite.Queues)
        {
            var actual = postgres.Queues[key];
            Assert.Equal(expected.Select(e => (e.CocoImageId, e.AnnotationCocoId)), actual.Select(e => (e.CocoImageId, e.AnnotationCocoId)));
            AssertClose(expected.Select(e => e.Score).ToArray(), actual.Select(e => e.Score).ToArray(), key);
        }

        AssertSameJson(JsonNode.Parse(sqlite.LabelErrors), JsonNode.Parse(postgres.LabelErrors), "label_errors");
    }

    private static AppOptions OnPostgres(AppOptions options, string connectionString)
    {
        options.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString };
        return options;
    }

    /// <summary>What the demo stored, keyed by COCO ids: planted errors, checkpoints, complete ranking runs, every
    /// target's scores (in COCO-id order of the training images), every label-error queue, the label-error evaluation.</summary>
    private sealed record Outcome(
        IReadOnlyList<string> Planted, IReadOnlyList<string> Checkpoints, IReadOnlyList<string> Runs,
        Dictionary<string, float[]> Scores, Dictionary<string, IReadOnlyList<QueueEntry>> Queues, string LabelErrors);

    private static Outcome Compute(AppOptions options)
    {
        var context = new PipelineContext(options);
        using var storage = context.Storage;
        var (dataset, _) = TinyDemo.Run(context);
        EvaluationRunner.Run(context, dataset, options.Demo.Model, options.Demo.Training,
            PluginRegistry.Evaluations.Where(e => e.Info.Name == EvaluationKinds.LabelErrors).ToList());

        var images = context.Datasets.GetImages(dataset.Id, Splits.Train, 0, 10_000)
            .Concat(context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 10_000)).ToDictionary(i => i.Id, i => i.CocoId);
        var annotations = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train)
            .Concat(context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Val))
            .SelectMany(p => p.Value).ToDictionary(a => a.Id, a => a.CocoId);
        var planted = context.Datasets.GetPlantedErrors(dataset.Id).Select(e => $"{images[e.ImageId]} {e.Kind} {e.Detail}").Order().ToList();
        var checkpoints = context.Checkpoints.List(dataset.Id).Select(c => $"seed {c.Seed} epoch {c.Epoch}").ToList();

        var runs = context.RankingRuns.ListComplete(dataset.Id);
        var scores = new Dictionary<string, float[]>();
        var queues = new Dictionary<string, IReadOnlyList<QueueEntry>>();
        foreach (var run in runs)
        {
            string name = $"{run.Method}/{run.TargetKind}";
            var order = context.RankingRuns.GetTrainOrder(run.Id);
            var byCoco = Enumerable.Range(0, order.Count).OrderBy(i => images[order[i]]).ToArray();
            foreach (var target in context.Scores.GetTargetsOfRun(run.Id))
            {
                var stored = context.Scores.GetScores(target.Id);
                string key = $"{name} image {images[target.ImageId]} {target.Kind} class {target.CategoryCocoId} object " +
                             (target.AnnotationId is { } a ? annotations[a] : "-");
                Assert.True(scores.TryAdd(key, byCoco.Select(i => stored[i]).ToArray()), $"two targets {key}");
            }
            foreach (bool objects in new[] { false, true })
            {
                var queue = context.TrainRankings.Queue(run.Id, objects, QueueFilter.None, 0, 10_000);
                if (queue.Total > 0) queues.Add(name, queue.Items);
            }
        }
        string labelErrors = context.Evaluations.LatestComplete(dataset.Id).Single(e => e.Kind == EvaluationKinds.LabelErrors).ResultsJson!;
        return new Outcome(planted, checkpoints, runs.Select(r => $"{r.Method}/{r.TargetKind}").Order().ToList(), scores, queues, labelErrors);
    }

    /// <summary>Float32 scores read back from either store: equal up to a few units in the last place of the largest
    /// (NaN, a similarity method's "not a candidate", only where the oracle has it).</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Where(float.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : Math.Abs(expected[i] - actual[i]) <= 1e-6f * scale,
                $"{what}[{i}]: SQLite {expected[i]:R}, PostgreSQL {actual[i]:R}");
    }

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject o:
                var other = Assert.IsType<JsonObject>(actual);
                Assert.Equal(o.Select(p => p.Key).Order(), other.Select(p => p.Key).Order());
                foreach (var (key, value) in o) AssertSameJson(value, other[key], $"{path}.{key}");
                break;
            case JsonArray a:
                var items = Assert.IsType<JsonArray>(actual);
                Assert.True(a.Count == items.Count, $"{path}: {a.Count} items in SQLite, {items.Count} in PostgreSQL");
                for (int i = 0; i < a.Count; i++) AssertSameJson(a[i], items[i], $"{path}[{i}]");
                break;
            case JsonValue v when v.TryGetValue(out double x):
                double y = actual!.GetValue<double>();
                Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{path}: SQLite {x:R}, PostgreSQL {y:R}");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: SQLite {expected?.ToJsonString()}, PostgreSQL {actual?.ToJsonString()}");
                break;
        }
    }
}
