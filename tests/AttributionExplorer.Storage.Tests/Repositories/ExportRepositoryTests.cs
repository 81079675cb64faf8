using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Storage.Repositories;
using Dapper;

namespace AttributionExplorer.Storage.Tests.Repositories;

public class ExportRepositoryTests
{
    private static (TempDatabase Db, long DatasetId, long[] Train) Setup()
    {
        var db = new TempDatabase();
        var datasets = new DatasetRepository(db.Database);
        long datasetId = datasets.Import(TempDatabase.SampleImport());
        return (db, datasetId, datasets.GetImages(datasetId, Splits.Train, 0, 100).Select(i => i.Id).ToArray());
    }

    [Fact]
    public void SavedExportsRoundTripWithTheirIdsInAscendingOrderAndAMatchingHash()
    {
        var (db, datasetId, train) = Setup();
        using var _ = db;
        long runId = new AttributionRepository(db.Database).BeginRun(datasetId, "trak", "image", "{}", "h", train);
        var exports = new ExportRepository(db.Database);
        var kept = new[] { train[3], train[0], train[2] };
        var before = DateTime.UtcNow.AddSeconds(-1);

        long id = exports.Save(datasetId, " ann ", new ExportRule(runId, 25, ["suspected", "confirmed"]), kept);

        var export = exports.Get(id)!;
        Assert.Equal((id, datasetId, "ann", 3), (export.Id, export.DatasetId, export.Author, export.ImageCount));
        Assert.InRange(export.CreatedUtc, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal((runId, 25.0), (export.Rule.RunId!.Value, export.Rule.DropBottomPercent));
        Assert.Equal(["confirmed", "suspected"], export.Rule.DropFlagStates);
        Assert.Equal([train[0], train[2], train[3]], exports.GetImageIds(id));
        // Reproducible from the database alone: the stored ids hash to the stored sha256.
        Assert.Equal(ExportHash.Of(exports.GetImageIds(id)), export.Sha256);
        Assert.Equal(ExportHash.Of(kept), export.Sha256);
        using var c = db.Database.Open();
        Assert.Equal(runId, c.ExecuteScalar<long>("SELECT run_id FROM exports WHERE id = @id", new { id }));
        Assert.Null(exports.Get(id + 1));
    }

    [Fact]
    public void AnEmptyExportWithoutARunIsAllowed()
    {
        var (db, datasetId, _) = Setup();
        using var __ = db;
        var exports = new ExportRepository(db.Database);
        long id = exports.Save(datasetId, "bo", new ExportRule(null, 0, []), []);
        Assert.Empty(exports.GetImageIds(id));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", exports.Get(id)!.Sha256);
        using var c = db.Database.Open();
        Assert.Null(c.ExecuteScalar<long?>("SELECT run_id FROM exports WHERE id = @id", new { id }));
    }

    [Fact]
    public void ListIsNewestFirstPagedAndPerDataset()
    {
        var (db, datasetId, train) = Setup();
        using var _ = db;
        long other = new DatasetRepository(db.Database).Import(TempDatabase.SampleImport("other"));
        var exports = new ExportRepository(db.Database);
        var rule = new ExportRule(null, 0, []);
        long a = exports.Save(datasetId, "a", rule, [train[0]]);
        long b = exports.Save(datasetId, "b", rule, [train[1]]);
        exports.Save(other, "c", rule, []);
        long d = exports.Save(datasetId, "d", rule, [train[2]]);

        Assert.Equal([d, b, a], exports.List(datasetId, 0, 10).Select(e => e.Id));
        Assert.Equal([b], exports.List(datasetId, 1, 1).Select(e => e.Id));
        Assert.Single(exports.List(other, 0, 10));
    }

    [Fact]
    public void BadInputThrowsAndWritesNothing()
    {
        var (db, datasetId, train) = Setup();
        using var _ = db;
        long other = new DatasetRepository(db.Database).Import(TempDatabase.SampleImport("other"));
        long foreignImage = new DatasetRepository(db.Database).GetImages(other, Splits.Train, 0, 1).Single().Id;
        var exports = new ExportRepository(db.Database);
        var rule = new ExportRule(null, 0, []);

        Assert.Contains($"image {foreignImage} is not an image of dataset {datasetId}",
            Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [train[0], foreignImage])).Message);
        Assert.Contains("image 999999", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [999999])).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [train[0], train[0]])).Message);
        Assert.StartsWith("author", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, " ", rule, [])).Message);
        Assert.StartsWith("dropBottomPercent", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", new ExportRule(1, 120, []), [])).Message);
        Assert.Throws<KeyNotFoundException>(() => exports.Save(424242, "a", rule, []));
        Assert.Empty(exports.List(datasetId, 0, 10));
        using var c = db.Database.Open();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM export_images"));
    }

    [Fact]
    public void AnExportedImageCannotVanishButDeletingTheDatasetRemovesItsExports()
    {
        var (db, datasetId, train) = Setup();
        using var _ = db;
        var exports = new ExportRepository(db.Database);
        long id = exports.Save(datasetId, "a", new ExportRule(null, 0, []), [train[0], train[1]]);
        using var c = db.Database.Open();
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => c.Execute("DELETE FROM images WHERE id = @i", new { i = train[0] }));
        Assert.Equal(2, exports.GetImageIds(id).Count);

        c.Execute("DELETE FROM datasets WHERE id = @datasetId", new { datasetId });
        Assert.Null(exports.Get(id));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM export_images"));
    }
}
