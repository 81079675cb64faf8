using AttributionExplorer.Core.Scores;

namespace AttributionExplorer.Storage;

/// <summary>Where a run's score shard files live under the data root and how a stored shard is opened; shared by the
/// SQLite and PostgreSQL score repositories so both back ends read and write the same files.</summary>
internal static class ScoreShards
{
    /// <summary>The folder of a run's score shards, relative to the data root.</summary>
    public static string RunFolder(long runId) => $"scores/run-{runId}";

    /// <summary>The stored (relative) path of shard <paramref name="shardId"/>: named by its id, so a shard of a
    /// rolled-back transaction is overwritten by the next.</summary>
    public static string StoredPath(long runId, long shardId) => $"{RunFolder(runId)}/shard-{shardId}.aescores";

    /// <summary>Opens a stored shard and checks its width against the one recorded with it.</summary>
    public static ScoreShardFile.Reader Open(DataPaths paths, long shardId, string storedPath, long columns)
    {
        var reader = ScoreShardFile.Open(paths.ToFull(storedPath));
        if (reader.Columns != columns)
        {
            reader.Dispose();
            throw new InvalidDataException($"score file {reader.Path} has {reader.Columns} columns but its shard {shardId} was written with {columns}");
        }
        return reader;
    }

    /// <summary>Deletes a run's shard files (its rows went with a retried run's earlier attempt).</summary>
    public static void DeleteRun(DataPaths paths, long runId)
    {
        string folder = paths.ToFull(RunFolder(runId));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
