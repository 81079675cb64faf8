using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Paths are stored relative to the data root and returned absolute.</summary>
public sealed class ScoringMatrixRepository(ISqlDatabase database) : IScoringMatrixRepository
{
    public void Save(IReadOnlyList<ScoringMatrixRecord> matrices)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        foreach (var m in matrices)
            c.Execute("INSERT INTO trak_scoring_matrices (run_id, position, checkpoint_id, rows, cols, path, sha256) VALUES (@RunId, @Position, @CheckpointId, @Rows, @Cols, @Path, @Sha256) " +
                      "ON CONFLICT (run_id, position) DO UPDATE SET checkpoint_id = excluded.checkpoint_id, rows = excluded.rows, cols = excluded.cols, path = excluded.path, sha256 = excluded.sha256",
                m with { Path = database.Paths.ToStored(m.Path) }, tx);
        tx.Commit();
    }

    public IReadOnlyList<ScoringMatrixRecord> Get(long runId)
    {
        using var c = database.Open();
        return c.Query<(long RunId, long Position, long CheckpointId, long Rows, long Cols, string Path, string Sha256)>(
                "SELECT run_id, position, checkpoint_id, rows, cols, path, sha256 FROM trak_scoring_matrices WHERE run_id = @runId ORDER BY position", new { runId })
            .Select(r => new ScoringMatrixRecord(r.RunId, (int)r.Position, r.CheckpointId, (int)r.Rows, (int)r.Cols, database.Paths.ToFull(r.Path), r.Sha256)).ToList();
    }
}
