using System.CommandLine;
using System.Diagnostics;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage.Providers;
using AttributionExplorer.Worker.Infrastructure;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>`precompute backup --to FILE`: a consistent copy of the database made with SQLite's online backup API
/// while the app and workers keep running, and the score shard files it lists in FILE.data.</summary>
public static class BackupCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "file to write the copy to (a new SQLite database)", Required = true };
        var force = new Option<bool>("--force") { Description = "replace FILE if it exists" };
        var config = new Option<string?>("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };
        var command = new Command("backup", "copy the database with SQLite's online backup API (safe while the app and workers run) and the score files it lists (into FILE.data); `precompute restore --from FILE` puts both back")
            { to, force, config };
        command.SetAction(r =>
        {
            string source = "(database)";
            try
            {
                var options = WorkerSettings.Load(r.GetValue(config));
                if (StorageProvider.SqliteOnly(options, "backup") is { } notSqlite)
                    throw new DatabaseBackupException($"{notSqlite}; back up PostgreSQL with pg_dump (README, \"Running on a cluster\")");
                source = PathResolver.Resolve(options.DatabasePath);
                var clock = Stopwatch.StartNew();
                var result = DatabaseBackup.Run(source, r.GetValue(to)!, r.GetValue(force), PathResolver.Resolve(options.DataRoot));
                AnsiConsole.MarkupLine($"backed up [bold]{Markup.Escape(source)}[/] to [bold]{Markup.Escape(result.Path)}[/]: " +
                    $"{result.Bytes} bytes, {result.Pages} pages, schema version {result.SchemaVersion}, integrity ok; " +
                    $"{result.ScoreFiles} score files ({result.ScoreBytes} bytes, every row checked) in {Markup.Escape(BackupScoreFiles.FolderOf(result.Path))} ({clock.Elapsed.TotalSeconds:F1} s)");
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

public sealed class DatabaseBackupException(string message) : Exception(message);

public sealed record BackupResult(string Path, long Bytes, long Pages, long SchemaVersion, int ScoreFiles = 0, long ScoreBytes = 0);

public static class DatabaseBackup
{
    /// <summary>Copies <paramref name="databasePath"/> page by page into a temporary file next to
    /// <paramref name="destination"/>, checks it (integrity_check, schema version), copies the score files the copy
    /// lists from under <paramref name="dataRoot"/> (default: the database's folder) into a temporary folder, checking
    /// each, and renames both into place (FILE and FILE.data), so FILE is either a complete backup or untouched.</summary>
    public static BackupResult Run(string databasePath, string destination, bool overwrite, string? dataRoot = null) =>
        Run(databasePath, destination, overwrite, null, dataRoot);

    /// <param name="prepareCopy">Runs on the copy's connection before the backup (tests cap its size to play a full disk).</param>
    internal static BackupResult Run(string databasePath, string destination, bool overwrite, Action<SqliteConnection>? prepareCopy, string? dataRoot = null)
    {
        string source = Path.GetFullPath(databasePath), target = Path.GetFullPath(destination);
        if (!File.Exists(source)) throw new DatabaseBackupException($"the database {source} does not exist (check AttributionExplorer:DatabasePath)");
        if (target == source) throw new DatabaseBackupException("--to names the database itself; give another file");
        if (Directory.Exists(target)) throw new DatabaseBackupException($"--to {target} is a folder; give a file name");
        if (File.Exists(target) && !overwrite) throw new DatabaseBackupException($"{target} exists; pass --force to replace it");
        string folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw new DatabaseBackupException($"the folder {folder} does not exist");
        string partial = Path.Combine(folder, $".{Path.GetFileName(target)}.partial-{Environment.ProcessId}");
        string partialData = partial + ".data", targetData = BackupScoreFiles.FolderOf(target);
        string root = Path.GetFullPath(dataRoot ?? Path.GetDirectoryName(source)!);
        try
        {
            long pages, version, scoreBytes;
            IReadOnlyList<ListedScoreFile> scoreFiles;
            using (var from = OpenSource(source))
            using (var into = Open(partial, SqliteOpenMode.ReadWriteCreate, target))
            {
                prepareCopy?.Invoke(into);
                try { from.BackupDatabase(into); }
                catch (SqliteException e) { throw new DatabaseBackupException($"backup of {source} to {target} failed: {Describe(e, source, target)}"); }
                string integrity = Scalar<string>(into, "PRAGMA integrity_check");
                if (integrity != "ok") throw new DatabaseBackupException($"the copy failed SQLite's integrity check ({integrity}); {target} was not written");
                version = Scalar<long>(into, "PRAGMA user_version");
                long sourceVersion = Scalar<long>(from, "PRAGMA user_version");
                if (version != sourceVersion) throw new DatabaseBackupException($"the copy has schema version {version}, the database {sourceVersion}; {target} was not written");
                pages = Scalar<long>(into, "PRAGMA page_count");
                // The copy is a standalone file: no -wal next to it.
                Scalar<string>(into, "PRAGMA journal_mode = DELETE");
                // Shard files never change once written, so the ones the copy lists are the ones it needs; a run
                // retried meanwhile has deleted its files (the error says to back up again).
                scoreFiles = BackupScoreFiles.Listed(into);
            }
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(partialData)) Directory.Delete(partialData, recursive: true);
            scoreBytes = BackupScoreFiles.Copy(scoreFiles, root, partialData,
                "a run was retried while the backup ran (or the data root is not AttributionExplorer:DataRoot); nothing was written, back up again");
            File.Move(partial, target, overwrite);
            if (Directory.Exists(targetData)) Directory.Delete(targetData, recursive: true);
            if (Directory.Exists(partialData)) Directory.Move(partialData, targetData);
            return new BackupResult(target, new FileInfo(target).Length, pages, version, scoreFiles.Count, scoreBytes);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new DatabaseBackupException($"the disk holding {target} is full: free space or choose another --to; nothing was written");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (string leftover in new[] { partial, partial + "-journal", partial + "-wal", partial + "-shm" })
                if (File.Exists(leftover)) File.Delete(leftover);
            if (Directory.Exists(partialData)) Directory.Delete(partialData, recursive: true);
        }
    }

    /// <summary>Opens the database to read. A WAL database on read-only media cannot create its -shm file; nobody
    /// can write there either, so it is opened as immutable.</summary>
    private static SqliteConnection OpenSource(string path)
    {
        var connection = Open(path, SqliteOpenMode.ReadOnly, path);
        try
        {
            Scalar<long>(connection, "SELECT count(*) FROM sqlite_master");
            return connection;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14 && !FolderIsWritable(Path.GetDirectoryName(path)!))
        {
            connection.Dispose();
            var immutable = Open($"file:{Uri.EscapeDataString(path).Replace("%2F", "/")}?immutable=1", SqliteOpenMode.ReadOnly, path);
            Scalar<long>(immutable, "SELECT count(*) FROM sqlite_master");
            return immutable;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new DatabaseBackupException(SqliteErrors.Describe(e, path));
        }
    }

    private static bool FolderIsWritable(string folder)
    {
        string probe = Path.Combine(folder, $".ae-write-probe-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode, string shownPath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new DatabaseBackupException(SqliteErrors.Describe(e, shownPath));
        }
    }

    // Both files are open by now: only writing (the copy) can run out of room or be refused.
    private static string Describe(SqliteException e, string source, string target) =>
        e.SqliteErrorCode is 13 or 8 ? SqliteErrors.Describe(e, target) : SqliteErrors.Describe(e, source);

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }

    private static bool IsDiskFull(IOException e) => e.HResult is 28 or unchecked((int)0x80070070) || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
