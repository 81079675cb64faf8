using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>SQLite failures an operator can act on, said in words: what happened to which file and what to do.</summary>
public static class SqliteErrors
{
    private const int Busy = 5, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADatabase = 26;

    public static string Describe(SqliteException e, string path) => e.SqliteErrorCode switch
    {
        ReadOnly => $"the database {path} is read-only (file or folder permissions, a read-only mount or volume): " +
                    "this command writes to it, so give the process write access to the file and its folder (SQLite also writes -wal and -shm files next to it)",
        Full => $"the disk holding {path} is full: free space on it (or move the data folder) and rerun; nothing partial was committed",
        CantOpen => $"cannot open the database {path}: the file must be readable and its folder must exist and be writable " +
                    "(SQLite creates -wal and -shm files next to it; a read-only mount or volume cannot hold a database the app writes to)",
        Busy => $"the database {path} stayed locked by another process past the busy timeout: let the other writer finish and rerun",
        Corrupt or NotADatabase => $"{path} is not a readable SQLite database (damaged or another kind of file): restore it from a backup (README, \"Backup and restore\")",
        IoError when IsDiskFull(e) => $"the disk holding {path} is full: free space on it and rerun",
        IoError => $"an I/O error on {path} ({e.Message}): check the disk and the file system",
        _ => $"SQLite error {e.SqliteErrorCode} on {path}: {e.Message}",
    };

    // SQLITE_IOERR_WRITE etc. carry the OS error only in the message.
    private static bool IsDiskFull(SqliteException e) => e.Message.Contains("disk is full", StringComparison.OrdinalIgnoreCase);
}
