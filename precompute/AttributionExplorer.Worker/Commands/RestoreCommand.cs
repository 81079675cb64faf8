using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Providers;
using AttributionExplorer.Worker.Infrastructure;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>`precompute restore --from FILE`: checks a backup made by `precompute backup` (the database's integrity and
/// schema version, every score file it lists, row by row) and only then puts it back: the database at DatabasePath, its
/// score files under DataRoot. The current database is moved aside, never deleted.</summary>
public static class RestoreCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "the backup file written by `precompute backup --to` (its score files are in FILE.data)", Required = true };
        var force = new Option<bool>("--force") { Description = "replace the current database (it is moved aside to DatabasePath.before-restore-TIME)" };
        var config = new Option<string?>("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };
        var command = new Command("restore", "check a backup (database integrity, schema version, every score file) and put it back; stop the app and every worker first")
            { from, force, config };
        command.SetAction(r =>
        {
            try
            {
                var options = WorkerSettings.Load(r.GetValue(config));
                if (StorageProvider.SqliteOnly(options, "restore") is { } notSqlite)
                    throw new DatabaseBackupException($"{notSqlite}; restore PostgreSQL with pg_restore (README, \"Running on a cluster\")");
                var clock = Stopwatch.StartNew();
                var result = DatabaseRestore.Run(r.GetValue(from)!, PathResolver.Resolve(options.DatabasePath), PathResolver.Resolve(options.DataRoot), r.GetValue(force));
                AnsiConsole.MarkupLine($"restored [bold]{Markup.Escape(result.DatabasePath)}[/] (schema version {result.SchemaVersion}) and {result.ScoreFiles} score files" +
                    (result.MovedAside is null ? "" : $"; the database it replaced is at [bold]{Markup.Escape(result.MovedAside)}[/]") + $" ({clock.Elapsed.TotalSeconds:F1} s)");
                return 0;
            }
            catch (Exception e) when (e is DatabaseBackupException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
        });
        return command;
    }
}

public sealed record RestoreResult(string DatabasePath, long SchemaVersion, int ScoreFiles, string? MovedAside);

public static class DatabaseRestore
{
    /// <summary>Checks everything first (nothing is touched when a check fails), then moves the current database aside,
    /// copies the score files under <paramref name="dataRoot"/> (a file already there with the same bytes is kept, a
    /// different one moved aside) and copies the database into place through a temporary file.</summary>
    public static RestoreResult Run(string backupFile, string databasePath, string dataRoot, bool force)
    {
        string source = Path.GetFullPath(backupFile), target = Path.GetFullPath(databasePath), root = Path.GetFullPath(dataRoot);
        if (!File.Exists(source)) throw new DatabaseBackupException($"the backup {source} does not exist");
        if (source == target) throw new DatabaseBackupException("--from names the database itself; give the backup file");
        if (File.Exists(target) && !force)
            throw new DatabaseBackupException($"the database {target} exists: stop the app and every worker, then pass --force (it is moved aside, not deleted)");

        long version;
        IReadOnlyList<ListedScoreFile> files;
        using (var backup = OpenReadOnly(source))
        {
            string integrity = Scalar<string>(backup, "PRAGMA integrity_check");
            if (integrity != "ok") throw new DatabaseBackupException($"the backup {source} fails SQLite's integrity check ({integrity}); nothing was restored");
            version = Scalar<long>(backup, "PRAGMA user_version");
            if (version > SqliteDatabase.LatestSchemaVersion)
                throw new DatabaseBackupException($"the backup {source} has schema version {version}, newer than this program knows ({SqliteDatabase.LatestSchemaVersion}); update AttributionExplorer");
            files = BackupScoreFiles.Listed(backup);
        }
        SqliteConnection.ClearAllPools();
        string data = BackupScoreFiles.FolderOf(source);
        foreach (var file in files)
        {
            string path = Path.Combine(data, file.Path);
            if (!File.Exists(path))
                throw new DatabaseBackupException($"score file {path} (shard {file.Id}), listed by the backup, is missing: copy {data} along with {source}; nothing was restored");
            BackupScoreFiles.Check(file, path);
        }

        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        string? aside = null;
        if (File.Exists(target))
        {
            aside = $"{target}.before-restore-{stamp}";
            foreach (string suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(target + suffix)) File.Move(target + suffix, aside + suffix);
        }
        foreach (var file in files)
        {
            string existing = Path.Combine(root, file.Path), copy = Path.Combine(data, file.Path);
            if (File.Exists(existing))
            {
                if (SameBytes(existing, copy)) continue;
                File.Move(existing, $"{existing}.before-restore-{stamp}");
            }
            BackupScoreFiles.Copy([file], data, root, "it was checked a moment ago; is another process changing the backup?");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string partial = target + ".restoring";
        File.Copy(source, partial, overwrite: true);
        File.Move(partial, target);
        return new RestoreResult(target, version, files.Count, aside);
    }

    private static bool SameBytes(string a, string b)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length) return false;
        using var first = File.OpenRead(a);
        using var second = File.OpenRead(b);
        return SHA256.HashData(first).AsSpan().SequenceEqual(SHA256.HashData(second));
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Scalar<long>(connection, "SELECT count(*) FROM sqlite_master");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new DatabaseBackupException(SqliteErrors.Describe(e, path));
        }
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }
}
