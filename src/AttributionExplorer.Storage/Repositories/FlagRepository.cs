using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;
using System.Data.Common;

namespace AttributionExplorer.Storage.Repositories;

public sealed class FlagRepository(ISqlDatabase database) : IFlagRepository
{
    private const string Columns = "image_id, state, note, author, updated_utc, version";

    public FlagRecord? Get(long imageId)
    {
        using var c = database.Open();
        return Get(c, null, imageId);
    }

    public FlagSaveResult Save(long datasetId, long imageId, string state, string? note, string author, int expectedVersion)
    {
        FlagValidation.Validate(state, note, author);
        if (expectedVersion < 0)
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "expectedVersion must be 0 (not flagged yet) or a version read before");
        note ??= "";
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        string? split = c.ExecuteScalar<string?>("SELECT split FROM images WHERE id = @imageId AND dataset_id = @datasetId", new { imageId, datasetId }, tx);
        if (split is null) throw new KeyNotFoundException($"image {imageId} does not exist in dataset {datasetId}");
        if (split != Splits.Train) throw new ArgumentException($"image {imageId} is in split '{split}'; only training images can be flagged", nameof(imageId));

        // The version test sits inside the write itself, so of two writers that read the same version exactly one changes a row.
        var args = new { datasetId, imageId, state, note, author, now = DapperSetup.ToText(DateTime.UtcNow), expectedVersion };
        int written = expectedVersion == 0
            ? c.Execute("INSERT INTO flags (dataset_id, image_id, state, note, author, updated_utc, version) VALUES (@datasetId, @imageId, @state, @note, @author, @now, 1) ON CONFLICT (image_id) DO NOTHING", args, tx)
            : c.Execute("UPDATE flags SET state = @state, note = @note, author = @author, updated_utc = @now, version = version + 1 WHERE image_id = @imageId AND version = @expectedVersion", args, tx);
        var current = Get(c, tx, imageId);
        if (written == 0)
        {
            tx.Rollback();
            return FlagSaveResult.Conflict(current);
        }
        c.Execute("INSERT INTO flag_history (image_id, state, note, author, changed_utc, version) VALUES (@ImageId, @State, @Note, @Author, @now, @Version)",
            new { current!.ImageId, current.State, current.Note, current.Author, now = args.now, current.Version }, tx);
        tx.Commit();
        return FlagSaveResult.Success(current);
    }

    public IReadOnlyList<FlagChange> History(long imageId, int limit = int.MaxValue)
    {
        using var c = database.Open();
        return c.Query<(long Id, long ImageId, string State, string Note, string Author, string Changed, long Version)>(
                "SELECT id, image_id, state, note, author, changed_utc, version FROM flag_history WHERE image_id = @imageId ORDER BY version DESC, id DESC LIMIT @limit",
                new { imageId, limit })
            .Select(r => new FlagChange(r.Id, r.ImageId, r.State, r.Note, r.Author, Rows.ParseUtc(r.Changed), (int)r.Version))
            .ToList();
    }

    public IReadOnlyList<FlagRecord> List(long datasetId, string? state, int offset, int limit)
    {
        CheckStateFilter(state);
        using var c = database.Open();
        return Query(c, null, $"WHERE dataset_id = @datasetId {StateClause(state)} ORDER BY updated_utc DESC, image_id LIMIT @limit OFFSET @offset",
            new { datasetId, state, offset, limit });
    }

    public int Count(long datasetId, string? state)
    {
        CheckStateFilter(state);
        using var c = database.Open();
        return c.ExecuteScalar<int>($"SELECT COUNT(*) FROM flags WHERE dataset_id = @datasetId {StateClause(state)}", new { datasetId, state });
    }

    public IReadOnlySet<long> FlaggedImageIds(long datasetId, IEnumerable<string> states)
    {
        var wanted = states.Distinct().ToArray();
        foreach (var s in wanted) CheckStateFilter(s);
        if (wanted.Length == 0) return new HashSet<long>();
        using var c = database.Open();
        return c.Query<long>($"SELECT image_id FROM flags WHERE dataset_id = @datasetId AND {database.Dialect.InList("state", "@wanted")}", new { datasetId, wanted }).ToHashSet();
    }

    private static string StateClause(string? state) => state is null ? "" : "AND state = @state";

    private static void CheckStateFilter(string? state)
    {
        if (state is not null && !FlagStates.IsValid(state))
            throw new ArgumentException($"state must be one of {string.Join(", ", FlagStates.All)}; got '{state}'", nameof(state));
    }

    private static FlagRecord? Get(DbConnection c, DbTransaction? tx, long imageId) =>
        Query(c, tx, "WHERE image_id = @imageId", new { imageId }).FirstOrDefault();

    private static IReadOnlyList<FlagRecord> Query(DbConnection c, DbTransaction? tx, string where, object args) =>
        c.Query<(long ImageId, string State, string Note, string Author, string Updated, long Version)>($"SELECT {Columns} FROM flags {where}", args, tx)
            .Select(r => new FlagRecord(r.ImageId, r.State, r.Note, r.Author, Rows.ParseUtc(r.Updated), (int)r.Version))
            .ToList();
}
