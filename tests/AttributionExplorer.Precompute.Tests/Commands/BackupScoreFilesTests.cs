using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Worker.Commands;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Commands;

/// <summary>`precompute backup` takes the score shard files the database lists (into FILE.data, each checked row by
/// row) and `precompute restore` checks the whole backup before it puts anything back.</summary>
public sealed class BackupScoreFilesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-backup-scores").FullName;
    private readonly float[] scoresA = [0.5f, -1f, 2f, 0f], scoresB = [1f, 3f, -2f, 0.25f];
    private readonly long runId;

    private string DataRoot => Path.Combine(dir, "data");
    private string DatabasePath => Path.Combine(DataRoot, "attribution.db");
    private string BackupFile => Path.Combine(dir, "backups", "ae.db");

    public BackupScoreFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(dir, "backups"));
        var database = new SqliteDatabase(DatabasePath);
        database.Migrate();
        var datasets = new DatasetRepository(database);
        var images = Enumerable.Range(0, 6).Select(i => new ImportedImage(i + 1, i < 4 ? Splits.Train : Splits.Val, $"{i}.png", 8, 8, [])).ToList();
        long datasetId = datasets.Import(new DatasetImport("d", "/images", "test", [new Category(1, "cat", null, 1)], images, []));
        var train = datasets.GetImages(datasetId, Splits.Train, 0, 10).Select(i => i.Id).ToArray();
        var val = datasets.GetImages(datasetId, Splits.Val, 0, 10).Select(i => i.Id).ToArray();
        runId = new RunLedgerRepository(database).Ensure(datasetId, "rank.trak", "backup-test", "{}", []).Id;
        new RankingRunRepository(database).Begin(runId, datasetId, AttributionMethods.Trak, TargetKinds.Image, train);
        var scores = new ScoreRepository(database);
        scores.WriteScores(runId, [(new NewTarget(val[0], TargetKinds.Image, null, null), scoresA)], ScoreDtype.Float32);
        scores.WriteScores(runId, [(new NewTarget(val[1], TargetKinds.Image, null, null), scoresB)], ScoreDtype.Float32);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private string[] Shards(string root) => Directory.GetFiles(Path.Combine(root, "scores"), "*.aescores", SearchOption.AllDirectories).Order().ToArray();

    private float[][] ReadScores()
    {
        SqliteConnection.ClearAllPools();
        var scores = new ScoreRepository(new SqliteDatabase(DatabasePath));
        return scores.GetTargetsOfRun(runId).Select(t => scores.GetScores(t.Id)).ToArray();
    }

    [Fact]
    public void TheBackupHoldsTheScoreFilesAndARestoreOfTheWholeDataFolderReadsThemAgain()
    {
        var result = DatabaseBackup.Run(DatabasePath, BackupFile, overwrite: false, DataRoot);
        Assert.Equal(2, result.ScoreFiles);
        string data = BackupScoreFiles.FolderOf(BackupFile);
        var copied = Shards(data);
        Assert.Equal(Shards(DataRoot).Select(f => Path.GetRelativePath(DataRoot, f)), copied.Select(f => Path.GetRelativePath(data, f)));
        Assert.Equal(copied.Sum(f => new FileInfo(f).Length), result.ScoreBytes);
        Assert.Equal(File.ReadAllBytes(Shards(DataRoot)[0]), File.ReadAllBytes(copied[0]));

        SqliteConnection.ClearAllPools();
        Directory.Delete(DataRoot, recursive: true);
        var restored = DatabaseRestore.Run(BackupFile, DatabasePath, DataRoot, force: false);
        Assert.Equal((2, (string?)null), (restored.ScoreFiles, restored.MovedAside));
        Assert.Equal([scoresA, scoresB], ReadScores());
    }

    [Fact]
    public void ACorruptScoreFileFailsTheBackupAndWritesNothing()
    {
        File.WriteAllText(BackupFile, "previous backup");
        string shard = Shards(DataRoot)[1];
        var bytes = File.ReadAllBytes(shard);
        bytes[ScoreShardFile.HeaderBytes + 5] ^= 0x01;
        File.WriteAllBytes(shard, bytes);

        var error = Assert.Throws<DatabaseBackupException>(() => DatabaseBackup.Run(DatabasePath, BackupFile, overwrite: true, DataRoot));
        Assert.Contains(shard, error.Message);
        Assert.Contains("row 0", error.Message);
        Assert.Equal("previous backup", File.ReadAllText(BackupFile));
        Assert.False(Directory.Exists(BackupScoreFiles.FolderOf(BackupFile)));
        Assert.Equal(["ae.db"], Directory.GetFileSystemEntries(Path.Combine(dir, "backups")).Select(Path.GetFileName));

        File.Delete(shard);
        var missing = Assert.Throws<DatabaseBackupException>(() => DatabaseBackup.Run(DatabasePath, BackupFile, overwrite: true, DataRoot));
        Assert.Contains($"score file {shard}", missing.Message);
        Assert.Contains("missing", missing.Message);
    }

    [Fact]
    public void ARestoreChecksEveryScoreFileBeforeItTouchesTheCurrentDatabase()
    {
        DatabaseBackup.Run(DatabasePath, BackupFile, overwrite: false, DataRoot);
        string copy = Shards(BackupScoreFiles.FolderOf(BackupFile))[0];
        var good = File.ReadAllBytes(copy);
        SqliteConnection.ClearAllPools();
        var current = File.ReadAllBytes(DatabasePath);

        Assert.Contains("pass --force", Assert.Throws<DatabaseBackupException>(() => DatabaseRestore.Run(BackupFile, DatabasePath, DataRoot, force: false)).Message);
        File.WriteAllBytes(copy, good[..^8]);
        var truncated = Assert.Throws<DatabaseBackupException>(() => DatabaseRestore.Run(BackupFile, DatabasePath, DataRoot, force: true));
        Assert.Contains(copy, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        File.Delete(copy);
        var missing = Assert.Throws<DatabaseBackupException>(() => DatabaseRestore.Run(BackupFile, DatabasePath, DataRoot, force: true));
        Assert.Contains($"copy {BackupScoreFiles.FolderOf(BackupFile)} along with", missing.Message);
        Assert.Equal(current, File.ReadAllBytes(DatabasePath));
        Assert.Empty(Directory.GetFiles(DataRoot, "*before-restore*", SearchOption.AllDirectories));

        File.WriteAllBytes(copy, good);
        var restored = DatabaseRestore.Run(BackupFile, DatabasePath, DataRoot, force: true);
        Assert.Equal(current, File.ReadAllBytes(restored.MovedAside!));
        Assert.Equal([scoresA, scoresB], ReadScores());
    }
}
