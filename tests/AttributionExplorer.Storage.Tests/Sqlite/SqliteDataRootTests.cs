using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage.Tests.Contracts;
using Dapper;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Sqlite;

/// <summary>Databases written before paths were stored relative hold absolute ones; Migrate() rewrites those under the data root.</summary>
public class SqliteDataRootTests
{
    [Fact]
    public void AbsolutePathsUnderTheDataRootAreRelativizedByMigrate()
    {
        using var s = new SqliteStorageUnderTest();
        var d = ImportDataset(s, Import(imageRoot: Path.Combine(s.DataRoot, "images")));
        long outside = s.Datasets.Import(Import("outside", imageRoot: "/srv/coco/images"));
        long ranking = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        var train = CompleteRun(s, d, "train", body: run =>
        {
            long checkpoint = s.Checkpoints.Add(new CheckpointRecord(0, d.Id, 0, Path.Combine(s.DataRoot, "checkpoints", "m0.bin"), 0.5, "{}", 1, DateTime.UtcNow, run));
            s.ScoringMatrices.Save([new ScoringMatrixRecord(ranking, 0, checkpoint, 2, 4, Path.Combine(s.DataRoot, "trak", "m0.bin"), "abc")]);
            s.Ledger.AddArtifact(run, Worker, new RunArtifact("matrix", Path.Combine("trak", "m0.bin"), "abc", 6));
        });
        string[] columns = ["SELECT image_root FROM datasets WHERE id = @d", "SELECT path FROM checkpoints", "SELECT path FROM trak_scoring_matrices", "SELECT path FROM run_artifacts"];
        using (var c = s.Database.Open())
        {
            Assert.All(columns, sql => Assert.False(Path.IsPathRooted(c.ExecuteScalar<string>(sql, new { d = d.Id }))));
            // What an older version wrote: absolute paths.
            c.Execute("UPDATE datasets SET image_root = @root || '/' || image_root WHERE id = @d; UPDATE checkpoints SET path = @root || '/' || path; " +
                      "UPDATE trak_scoring_matrices SET path = @root || '/' || path; UPDATE run_artifacts SET path = @root || '/' || path", new { root = s.DataRoot, d = d.Id });
            Assert.All(columns, sql => Assert.StartsWith(s.DataRoot, c.ExecuteScalar<string>(sql, new { d = d.Id })));
        }

        s.Database.Migrate();

        using (var c = s.Database.Open())
        {
            Assert.Equal(new[] { "images", Path.Combine("checkpoints", "m0.bin"), Path.Combine("trak", "m0.bin"), Path.Combine("trak", "m0.bin") },
                columns.Select(sql => c.ExecuteScalar<string>(sql, new { d = d.Id })));
            Assert.Equal("/srv/coco/images", c.ExecuteScalar<string>("SELECT image_root FROM datasets WHERE id = @outside", new { outside }));
        }
        Assert.Equal(Path.Combine(s.DataRoot, "images"), s.Datasets.Get(d.Id)!.ImageRoot);
        Assert.Equal(Path.Combine(s.DataRoot, "checkpoints", "m0.bin"), s.Checkpoints.FindByRun(train.Id)!.Path);
        Assert.Equal(Path.Combine(s.DataRoot, "trak", "m0.bin"), Assert.Single(s.ScoringMatrices.Get(ranking)).Path);
        Assert.Equal(Path.Combine("trak", "m0.bin"), Assert.Single(s.Ledger.Artifacts(train.Id)).RelativePath);
    }
}
