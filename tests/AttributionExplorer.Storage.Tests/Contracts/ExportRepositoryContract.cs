using System.Data.Common;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using Dapper;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Exports: rule, author, kept ids and their hash; every export is also a complete ledger run.</summary>
public abstract class ExportRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    private (IStorageUnderTest Storage, long DatasetId, long[] Train) Setup()
    {
        var s = CreateStorage();
        var d = ImportDataset(s);
        return (s, d.Id, d.Train);
    }

    [SkippableFact]
    public void SavedExportsRoundTripWithTheirIdsInAscendingOrderAndAMatchingHash()
    {
        var (s, datasetId, train) = Setup();
        using var __ = s;
        var d = new Dataset(datasetId, s.Datasets.Get(datasetId)!.Version, train, s.Datasets.GetImages(datasetId, Splits.Val, 0, 10).Select(i => i.Id).ToArray());
        long runId = CompleteRanking(s, d, "trak", "image", [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        var exports = s.Exports;
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
        using var c = s.OpenConnection();
        Assert.Equal(runId, c.ExecuteScalar<long>("SELECT run_id FROM exports WHERE id = @id", new { id }));
        Assert.Null(exports.Get(id + 1));
    }

    [SkippableFact]
    public void AnEmptyExportWithoutARunIsAllowed()
    {
        var (s, datasetId, _) = Setup();
        using var __ = s;
        var exports = s.Exports;
        long id = exports.Save(datasetId, "bo", new ExportRule(null, 0, []), []);
        Assert.Empty(exports.GetImageIds(id));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", exports.Get(id)!.Sha256);
        using var c = s.OpenConnection();
        Assert.Null(c.ExecuteScalar<long?>("SELECT run_id FROM exports WHERE id = @id", new { id }));
    }

    [SkippableFact]
    public void ListIsNewestFirstPagedAndPerDataset()
    {
        var (s, datasetId, train) = Setup();
        using var __ = s;
        long other = s.Datasets.Import(Import("other"));
        var exports = s.Exports;
        var rule = new ExportRule(null, 0, []);
        long a = exports.Save(datasetId, "a", rule, [train[0]]);
        long b = exports.Save(datasetId, "b", rule, [train[1]]);
        exports.Save(other, "c", rule, []);
        long d = exports.Save(datasetId, "d", rule, [train[2]]);

        Assert.Equal([d, b, a], exports.List(datasetId, 0, 10).Select(e => e.Id));
        Assert.Equal([b], exports.List(datasetId, 1, 1).Select(e => e.Id));
        Assert.Single(exports.List(other, 0, 10));
    }

    [SkippableFact]
    public void BadInputThrowsAndWritesNothing()
    {
        var (s, datasetId, train) = Setup();
        using var __ = s;
        long other = s.Datasets.Import(Import("other"));
        long foreignImage = s.Datasets.GetImages(other, Splits.Train, 0, 1).Single().Id;
        var exports = s.Exports;
        var rule = new ExportRule(null, 0, []);

        Assert.Contains($"image {foreignImage} is not an image of dataset {datasetId}",
            Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [train[0], foreignImage])).Message);
        Assert.Contains("image 999999", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [999999])).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", rule, [train[0], train[0]])).Message);
        Assert.StartsWith("author", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, " ", rule, [])).Message);
        Assert.StartsWith("dropBottomPercent", Assert.Throws<ArgumentException>(() => exports.Save(datasetId, "a", new ExportRule(1, 120, []), [])).Message);
        Assert.Throws<KeyNotFoundException>(() => exports.Save(424242, "a", rule, []));
        Assert.Empty(exports.List(datasetId, 0, 10));
        using var c = s.OpenConnection();
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM export_images"));
    }

    [SkippableFact]
    public void AnExportedImageCannotVanishButDeletingTheDatasetRemovesItsExports()
    {
        var (s, datasetId, train) = Setup();
        using var __ = s;
        var exports = s.Exports;
        long id = exports.Save(datasetId, "a", new ExportRule(null, 0, []), [train[0], train[1]]);
        using var c = s.OpenConnection();
        Assert.ThrowsAny<DbException>(() => c.Execute("DELETE FROM images WHERE id = @i", new { i = train[0] }));
        Assert.Equal(2, exports.GetImageIds(id).Count);

        c.Execute("DELETE FROM datasets WHERE id = @datasetId", new { datasetId });
        Assert.Null(exports.Get(id));
        Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM export_images"));
    }

    [SkippableFact]
    public void EveryExportIsACompleteLedgerRunNamingItsRankingRun()
    {
        var (s, datasetId, train) = Setup();
        using var __ = s;
        var d = new Dataset(datasetId, s.Datasets.Get(datasetId)!.Version, train, s.Datasets.GetImages(datasetId, Splits.Val, 0, 10).Select(i => i.Id).ToArray());
        long rankingRun = CompleteRanking(s, d, "trak", "image", [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        s.Exports.Save(datasetId, "a", new ExportRule(rankingRun, 25, []), [train[0]]);
        s.Exports.Save(datasetId, "b", new ExportRule(null, 0, []), []);

        var runs = s.Ledger.List(datasetId, "export");
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunState.Complete, r.State));
        Assert.Equal(new long[] { rankingRun }, runs[1].Upstream);
        Assert.Empty(runs[0].Upstream);
        Assert.NotEqual(runs[0].Identity, runs[1].Identity);
        // A failed save leaves no run behind.
        Assert.Throws<ArgumentException>(() => s.Exports.Save(datasetId, "c", new ExportRule(null, 0, []), [424242]));
        Assert.Equal(2, s.Ledger.List(datasetId, "export").Count);
    }
}
