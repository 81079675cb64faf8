using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>File paths under the data root are stored relative to it, so the data folder can move; paths outside it stay absolute.</summary>
public abstract class DataRootContract
{
    protected abstract IStorageUnderTest CreateStorage();

    [SkippableFact]
    public void MovingTheDataFolderKeepsEveryStoredPathResolvable()
    {
        using var s = CreateStorage();
        string Write(string relative, string content)
        {
            string full = Path.Combine(s.DataRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            return full;
        }
        Write(Path.Combine("images", "f0.png"), "image");
        var d = ImportDataset(s, Import(imageRoot: Path.Combine(s.DataRoot, "images")));
        long outside = s.Datasets.Import(Import("outside", imageRoot: "/srv/coco/images"));
        string checkpointPath = Write(Path.Combine("checkpoints", "m0.bin"), "weights");
        string matrixPath = Write(Path.Combine("trak", "m0.bin"), "matrix");
        long rankingRun = CompleteRanking(s, d, AttributionMethods.Trak, TargetKinds.Image, [(ImageTarget(d.Val[0]), [1f, 2f, 3f, 4f])], ScoreDtype.Float32, 2).Run.Id;
        var trainRun = CompleteRun(s, d, "train", body: run =>
        {
            long checkpoint = s.Checkpoints.Add(new CheckpointRecord(0, d.Id, 0, checkpointPath, 0.5, "{}", 1, DateTime.UtcNow, run));
            s.ScoringMatrices.Save([new ScoringMatrixRecord(rankingRun, 0, checkpoint, 2, 4, matrixPath, "abc")]);
            s.Ledger.AddArtifact(run, Worker, new RunArtifact("matrix", Path.Combine("trak", "m0.bin"), "abc", 6));
        });

        string newRoot = Path.Combine(Path.GetTempPath(), $"ae-moved-{Guid.NewGuid():N}", "data");
        try
        {
            s.MoveDataRoot(newRoot);
            Assert.Equal(Path.GetFullPath(newRoot), s.DataRoot);

            string imageRoot = s.Datasets.Get(d.Id)!.ImageRoot;
            Assert.Equal(Path.Combine(s.DataRoot, "images"), imageRoot);
            Assert.Equal("image", File.ReadAllText(Path.Combine(imageRoot, "f0.png")));
            Assert.Equal("/srv/coco/images", s.Datasets.Get(outside)!.ImageRoot);
            var checkpoint = Assert.Single(s.Checkpoints.List(d.Id));
            Assert.Equal(Path.Combine(s.DataRoot, "checkpoints", "m0.bin"), checkpoint.Path);
            Assert.Equal("weights", File.ReadAllText(checkpoint.Path));
            var matrix = Assert.Single(s.ScoringMatrices.Get(rankingRun));
            Assert.Equal(Path.Combine(s.DataRoot, "trak", "m0.bin"), matrix.Path);
            Assert.Equal("matrix", File.ReadAllText(matrix.Path));
            var artifact = Assert.Single(s.Ledger.Artifacts(trainRun.Id));
            Assert.Equal(Path.Combine("trak", "m0.bin"), artifact.RelativePath);
            Assert.Equal("matrix", File.ReadAllText(new ArtifactStore(s.DataRoot).FullPath(artifact.RelativePath)));
            // Everything else is still there.
            Assert.Equal(new[] { 1f, 2f, 3f, 4f }, s.Scores.GetScores(Assert.Single(s.Scores.GetTargetsOfRun(rankingRun)).Id));
        }
        finally
        {
            s.Dispose();
            string parent = Path.GetDirectoryName(newRoot)!;
            if (Directory.Exists(parent)) Directory.Delete(parent, recursive: true);
        }
    }
}
