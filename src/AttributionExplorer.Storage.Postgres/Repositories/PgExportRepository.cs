using System.Data.Common;
using AttributionExplorer.Storage.Repositories;
using Dapper;

namespace AttributionExplorer.Storage.Postgres.Repositories;

/// <summary>The shared export repository; only the kept ids are checked and inserted the PostgreSQL way.</summary>
public sealed class PgExportRepository(PostgresDatabase database) : ExportRepository(database)
{
    /// <summary>Held shared while an export is written; the trigger that keeps exported images takes it exclusively.</summary>
    private const long ExportLock = 0x414545585053;

    protected override long? AddImages(DbConnection connection, DbTransaction tx, long exportId, long datasetId, long[] ids)
    {
        // Set-based, one array parameter: count the ids that are images of the dataset (only when some are not, find
        // the first), then insert them all. The lock keeps an image deleted meanwhile from escaping the check (migration 2).
        connection.Execute("SELECT pg_advisory_xact_lock_shared(@ExportLock)", new { ExportLock }, tx);
        long owned = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM images WHERE id = ANY(@ids) AND dataset_id = @datasetId", new { ids, datasetId }, tx);
        if (owned != ids.Length)
            return connection.QueryFirst<long>(
                "SELECT x.id FROM unnest(@ids) WITH ORDINALITY AS x(id, n) LEFT JOIN images i ON i.id = x.id " +
                "WHERE i.id IS NULL OR i.dataset_id <> @datasetId ORDER BY x.n LIMIT 1", new { ids, datasetId }, tx);
        connection.Execute("INSERT INTO export_images (export_id, position, image_id) SELECT @exportId, x.n - 1, x.id FROM unnest(@ids) WITH ORDINALITY AS x(id, n)",
            new { exportId, ids }, tx);
        return null;
    }
}
