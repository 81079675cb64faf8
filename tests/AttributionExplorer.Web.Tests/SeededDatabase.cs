using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
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
        Attributions = new AttributionRepository(Database);
        Jobs = new JobRepository(Database);
        var mask = RleCodec.Encode([false, true, true, false, true, false], 2, 3);
        var images = Enumerable.Range(0, 5).Select(i => new ImportedImage(100 + i, i < 4 ? Splits.Train : Splits.Val, $"f{i}.png", 3, 2,
            [new ImportedAnnotation(1000 + i, i % 2 == 0 ? 3 : 90, false, mask, [0, 0, 3, 2], RleCodec.Area(mask))])).ToList();
        DatasetId = Datasets.Import(new DatasetImport("sample", "/nonexistent", "test",
            [new Category(3, "cat", "animal", 1), new Category(90, "toothbrush", null, 2)], images, []));
        Train = Datasets.GetImages(DatasetId, Splits.Train, 0, 10).Select(i => i.Id).ToArray();
        HeldOut = Datasets.GetImages(DatasetId, Splits.Val, 0, 10).Single().Id;
    }

    public SqliteDatabase Database { get; }
    public DatasetRepository Datasets { get; }
    public AttributionRepository Attributions { get; }
    public JobRepository Jobs { get; }
    public long DatasetId { get; }
    public long[] Train { get; }
    public long HeldOut { get; }

    /// <summary>A complete run with one target on the held-out image; returns the target id.</summary>
    public long AddRun(string method, NewTarget target, float[] scores)
    {
        long run = Attributions.BeginRun(DatasetId, method, target.Kind, "{}", $"{method}-{target.Kind}-{Guid.NewGuid()}", Train);
        Attributions.WriteScores(run, [(target, scores)], ScoreDtype.Float32);
        Attributions.CompleteRun(run, "{}", 10);
        return Attributions.GetTargets(run, target.ImageId).Single().Id;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(Database.Path)!, recursive: true);
    }
}
