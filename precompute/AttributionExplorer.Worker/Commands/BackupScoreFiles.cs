using AttributionExplorer.Core.Scores;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Worker.Commands;

/// <summary>A score shard as a database lists it (table score_shards): its path relative to the data root and the shape
/// it was written with.</summary>
public sealed record ListedScoreFile(long Id, string Path, ScoreDtype Dtype, int Rows, int Columns);

/// <summary>The score shard files a database copy lists go with it: a backup FILE keeps them in the folder FILE.data at
/// their stored paths (relative to the data root), and a restore puts them back under the data root. Every file is
/// checked as it is copied: header, length against the recorded shape, and every row's checksum.</summary>
public static class BackupScoreFiles
{
    /// <summary>The folder next to a backup file that holds its data-root files.</summary>
    public static string FolderOf(string backupFile) => backupFile + ".data";

    /// <summary>The shards a SQLite database lists (none before schema version 15, which added them).</summary>
    public static IReadOnlyList<ListedScoreFile> Listed(SqliteConnection database)
    {
        using var exists = database.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'score_shards'";
        if (Convert.ToInt64(exists.ExecuteScalar()) == 0) return [];
        using var read = database.CreateCommand();
        read.CommandText = "SELECT id, path, dtype, rows, cols FROM score_shards ORDER BY id";
        var listed = new List<ListedScoreFile>();
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            string path = reader.GetString(1);
            if (System.IO.Path.IsPathRooted(path) || path.Split('/', '\\').Contains(".."))
                throw new DatabaseBackupException($"score_shards.path of shard {reader.GetInt64(0)} is '{path}', not a path under the data root");
            listed.Add(new ListedScoreFile(reader.GetInt64(0), path, (ScoreDtype)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4)));
        }
        return listed;
    }

    /// <summary>Copies each listed file from under <paramref name="fromRoot"/> to under <paramref name="toRoot"/> (a file
    /// at a time: to a temporary name, checked, renamed); returns the bytes copied. A file missing or failing its checks
    /// is an error naming it.</summary>
    public static long Copy(IReadOnlyList<ListedScoreFile> files, string fromRoot, string toRoot, string missingHint)
    {
        long bytes = 0;
        foreach (var file in files)
        {
            string source = System.IO.Path.Combine(fromRoot, file.Path), target = System.IO.Path.Combine(toRoot, file.Path);
            if (!File.Exists(source)) throw new DatabaseBackupException($"score file {source} (shard {file.Id}) is missing: {missingHint}");
            Check(file, source);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            string partial = target + ".partial";
            File.Copy(source, partial, overwrite: true);
            try { Check(file, partial); }
            catch
            {
                File.Delete(partial);
                throw;
            }
            File.Move(partial, target, overwrite: true);
            bytes += new FileInfo(target).Length;
        }
        return bytes;
    }

    /// <summary>The file has the recorded shape and dtype and every row matches its checksum.</summary>
    public static void Check(ListedScoreFile file, string path)
    {
        try
        {
            using var reader = ScoreShardFile.Open(path);
            if (reader.Rows != file.Rows || reader.Columns != file.Columns || reader.Dtype != file.Dtype)
                throw new DatabaseBackupException($"score file {path} is {reader.Rows} × {reader.Columns} {reader.Dtype}, but shard {file.Id} was recorded as {file.Rows} × {file.Columns} {file.Dtype}");
            for (int row = 0; row < reader.Rows; row++) reader.Row(row);
        }
        catch (InvalidDataException e)
        {
            throw new DatabaseBackupException(e.Message);
        }
    }
}
