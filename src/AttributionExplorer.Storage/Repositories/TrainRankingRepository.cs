using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;
using System.Data.Common;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Both back ends; PostgreSQL overrides only how the ranks of flagged images are looked up (PgTrainRankingRepository).</summary>
public class TrainRankingRepository(ISqlDatabase database) : ITrainRankingRepository
{
    public void Write(long runId, IReadOnlyList<(long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM overall_influence WHERE run_id = @runId", new { runId }, tx);
        Insert(database.Dialect, c, tx, runId, mostSuspectFirst.Select(r => r.TrainImageId).ToArray(), mostSuspectFirst.Select(r => r.Score).ToArray(),
            Enumerable.Range(0, mostSuspectFirst.Count).ToArray());
        tx.Commit();
    }

    /// <summary>Rows for ids[order[r]] with rank r + 1, and the queue page's histogram of them, inside the caller's transaction.</summary>
    internal static void Insert(SqlDialect dialect, DbConnection c, DbTransaction tx, long runId, IReadOnlyList<long> ids, IReadOnlyList<float> scores, IReadOnlyList<int> order)
    {
        var planted = PlantedImages(c, tx, runId);
        dialect.BulkInsert(c, tx, "overall_influence", "run_id, train_image_id, mean_score, rank", Enumerable.Range(0, order.Count),
            (row, r) => row.Long(runId).Long(ids[order[r]]).Double(scores[order[r]]).Long(r + 1));
        var rows = order.Select(i => (ids[i], (double)scores[i])).ToList();
        var histogram = InfluenceHistogram.OfRanking(rows, planted, InfluenceHistogram.QueueBins);
        c.Execute("INSERT INTO influence_histograms (run_id, bins, min, max, counts, planted) VALUES (@runId, @bins, @Min, @Max, @counts, @planted) " +
                  "ON CONFLICT (run_id, bins) DO UPDATE SET min = excluded.min, max = excluded.max, counts = excluded.counts, planted = excluded.planted",
            new { runId, bins = (long)InfluenceHistogram.QueueBins, histogram.Min, histogram.Max, counts = JsonSerializer.Serialize(histogram.Counts),
                planted = JsonSerializer.Serialize(histogram.Planted) }, tx);
    }

    private static HashSet<long> PlantedImages(DbConnection c, DbTransaction? tx, long runId) =>
        c.Query<long>("SELECT p.image_id FROM planted_errors p JOIN attribution_runs a ON a.dataset_id = p.dataset_id WHERE a.id = @runId", new { runId }, tx).ToHashSet();

    // Every writer numbers a run's ranks 1..count without gaps, so the count is the largest rank (an index seek, not
    // a scan of 118k rows) and an unfiltered page is a range of ranks.
    public int Count(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COALESCE(MAX(rank), 0) FROM overall_influence WHERE run_id = @runId", new { runId });
    }

    public IReadOnlyList<OverallInfluence> Page(long runId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId ORDER BY rank LIMIT @limit OFFSET @offset",
                new { runId, limit, offset })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).ToList();
    }

    public OverallInfluence? Of(long runId, long trainImageId)
    {
        using var c = database.Open();
        return c.Query<(long ImageId, double Mean, long Rank)>(
                "SELECT train_image_id, mean_score, rank FROM overall_influence WHERE run_id = @runId AND train_image_id = @trainImageId",
                new { runId, trainImageId })
            .Select(r => new OverallInfluence(r.ImageId, (float)r.Mean, (int)r.Rank)).FirstOrDefault();
    }

    /// <summary>The histogram stored with the ranking (for <see cref="InfluenceHistogram.QueueBins"/>), else computed from
    /// its rows (other bin counts, rankings written before histograms were stored).</summary>
    public InfluenceHistogram Histogram(long runId, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins));
        using var c = database.Open();
        var stored = c.QueryFirstOrDefault<(double Min, double Max, string Counts, string Planted)?>(
            "SELECT min, max, counts, planted FROM influence_histograms WHERE run_id = @runId AND bins = @bins", new { runId, bins = (long)bins });
        if (stored is { } h)
            return new InfluenceHistogram(h.Min, h.Max, Parse(h.Counts, runId, "counts"), Parse(h.Planted, runId, "planted"));
        var rows = c.Query<(long ImageId, double? Score)>("SELECT train_image_id, mean_score FROM overall_influence WHERE run_id = @runId", new { runId })
            .Select(r => (r.ImageId, r.Score ?? double.NaN)).ToList();
        return InfluenceHistogram.OfRanking(rows, PlantedImages(c, null, runId), bins);
    }

    private static int[] Parse(string json, long runId, string field) =>
        JsonSerializer.Deserialize<int[]>(json) ?? throw new InvalidDataException($"influence_histograms.{field} of run {runId} is null");

    public void WriteObjects(long runId, IReadOnlyList<(long AnnotationId, long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM object_rankings WHERE run_id = @runId", new { runId }, tx);
        database.Dialect.BulkInsert(c, tx, "object_rankings", "run_id, annotation_id, train_image_id, score, rank", Enumerable.Range(0, mostSuspectFirst.Count),
            (row, r) => row.Long(runId).Long(mostSuspectFirst[r].AnnotationId).Long(mostSuspectFirst[r].TrainImageId).Double(mostSuspectFirst[r].Score).Long(r + 1));
        tx.Commit();
    }

    public int CountObjects(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COALESCE(MAX(rank), 0) FROM object_rankings WHERE run_id = @runId", new { runId });
    }

    public IReadOnlyList<ObjectSuspicion> PageObjects(long runId, int offset, int limit)
    {
        using var c = database.Open();
        return c.Query<(long AnnotationId, long ImageId, double Score, long Rank)>(
                "SELECT annotation_id, train_image_id, score, rank FROM object_rankings WHERE run_id = @runId ORDER BY rank LIMIT @limit OFFSET @offset",
                new { runId, limit, offset })
            .Select(r => new ObjectSuspicion(r.AnnotationId, r.ImageId, (float)r.Score, (int)r.Rank)).ToList();
    }

    public QueueSlice Queue(long runId, bool objects, QueueFilter filter, int offset, int limit)
    {
        filter.Validate();
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "offset must be 0 or more");
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be 0 or more");
        var q = QueueSql.Of(objects, filter);
        using var c = database.Open();
        var args = q.Args(runId, new { offset = (long)offset, limit = (long)limit });
        if (filter with { State = null } == QueueFilter.None && filter.State is not null) return ByFlagState(c, q, args, filter.State, offset, limit);
        int total = c.ExecuteScalar<int>(filter.IsEmpty ? $"SELECT COALESCE(MAX(r.rank), 0) FROM {q.Table} r WHERE {q.Where}" : q.Count(""), args);
        // Unfiltered, the page is the rank range (ranks have no gaps); filtered, the offset is skipped over the
        // ranking and the filter's joins only, and the page's rows are joined to their images and flags afterwards.
        var items = c.Query<QueueRow>(filter.IsEmpty
                ? q.SelectRows("AND r.rank > @offset AND r.rank <= @offset + @limit", "ORDER BY r.rank")
                : q.SelectRows("", "ORDER BY r.rank LIMIT @limit OFFSET @offset"), args)
            .Select(QueueSql.Entry).ToList();
        return new QueueSlice(total, items);
    }

    /// <summary>A queue narrowed by review state only, worked out from the flags (a few hundred) instead of the ranking
    /// (118k rows): the ranks of the run's entries whose image has a flag, then the page's ranks among them (a state)
    /// or between them (unflagged), then those rows.</summary>
    private QueueSlice ByFlagState(DbConnection c, QueueSql q, DynamicParameters args, string state, int offset, int limit)
    {
        bool unflagged = state == QueueFilter.Unflagged;
        var flagged = c.Query<long>(FlaggedRanks(q.Table, unflagged ? "" : "WHERE f.state = @state"), args).ToArray();
        var ranks = new List<long>(limit);
        int total;
        if (!unflagged)
        {
            total = flagged.Length;
            ranks.AddRange(flagged.Skip(offset).Take(limit));
        }
        else
        {
            long count = c.ExecuteScalar<long>($"SELECT COALESCE(MAX(r.rank), 0) FROM {q.Table} r WHERE r.run_id = @runId", args);
            total = (int)count - flagged.Length;
            // The (offset+1)-th unflagged rank: each flagged rank at or before the candidate pushes it one further.
            long rank = offset + 1;
            int next = 0;
            while (next < flagged.Length && flagged[next] <= rank) { rank++; next++; }
            for (; ranks.Count < limit && rank <= count; rank++)
            {
                if (next < flagged.Length && flagged[next] == rank) next++;
                else ranks.Add(rank);
            }
        }
        if (ranks.Count == 0) return new QueueSlice(total, []);
        var page = new DynamicParameters(args);
        page.Add("ranks", ranks.ToArray());
        var items = c.Query<QueueRow>($"SELECT {q.Select} FROM {q.Table} r {q.DisplayJoins} WHERE r.run_id = @runId AND {database.Dialect.InList("r.rank", "@ranks")} ORDER BY r.rank", page)
            .Select(QueueSql.Entry).ToList();
        return new QueueSlice(total, items);
    }

    /// <summary>The ranks (ascending) in the ranking <paramref name="table"/> r of the run's images that have a flag f
    /// passing <paramref name="where"/>.</summary>
    protected virtual string FlaggedRanks(string table, string where) =>
        // CROSS JOIN keeps the flags as the outer loop (SQLite would otherwise walk the ranking in rank order).
        $"SELECT r.rank FROM flags f CROSS JOIN {table} r ON r.run_id = @runId AND r.train_image_id = f.image_id {where} ORDER BY r.rank";

    public QueuePosition PositionInQueue(long runId, bool objects, QueueFilter filter, int rank)
    {
        filter.Validate();
        var q = QueueSql.Of(objects, filter);
        using var c = database.Open();
        var args = q.Args(runId, new { rank = (long)rank });
        int before = c.ExecuteScalar<int>(q.Count("AND r.rank < @rank"), args);
        var previous = c.Query<QueueRow>(q.SelectRows("AND r.rank < @rank", "ORDER BY r.rank DESC LIMIT 1"), args).Select(QueueSql.Entry).FirstOrDefault();
        var next = c.Query<QueueRow>(q.SelectRows("AND r.rank > @rank", "ORDER BY r.rank LIMIT 1"), args).Select(QueueSql.Entry).FirstOrDefault();
        return new QueuePosition(before, previous, next);
    }

    private sealed class QueueRow
    {
        public long Rank { get; set; }
        public long TrainImageId { get; set; }
        public long CocoImageId { get; set; }
        public double Score { get; set; }
        public long? AnnotationId { get; set; }
        public long? AnnotationCocoId { get; set; }
        public long? CategoryCocoId { get; set; }
        public long? Version { get; set; }
        public string? State { get; set; }
        public string? Note { get; set; }
        public string? Author { get; set; }
        public string? Updated { get; set; }
    }

    /// <summary>The queue's SQL: a run's ranking (r) narrowed by the filter, which joins only what it tests (the flags f
    /// for a state, the annotations a for an object's class); the rows it keeps are then joined to their images (i),
    /// flags and, for objects, annotations.</summary>
    private sealed record QueueSql(string Select, string Table, string FilterJoins, string DisplayJoins, string Where, QueueFilter Filter)
    {
        public static QueueSql Of(bool objects, QueueFilter filter)
        {
            string select = "r.rank AS Rank, r.train_image_id AS TrainImageId, i.coco_id AS CocoImageId, " +
                (objects ? "r.score AS Score, r.annotation_id AS AnnotationId, a.coco_id AS AnnotationCocoId, a.category_coco_id AS CategoryCocoId, "
                    : "r.mean_score AS Score, CAST(NULL AS bigint) AS AnnotationId, CAST(NULL AS bigint) AS AnnotationCocoId, CAST(NULL AS bigint) AS CategoryCocoId, ") +
                "f.state AS State, f.note AS Note, f.author AS Author, f.updated_utc AS Updated, f.version AS Version";
            const string flags = "LEFT JOIN flags f ON f.image_id = r.train_image_id";
            const string annotations = "LEFT JOIN annotations a ON a.id = r.annotation_id";
            string display = (objects ? annotations + " " : "") + "JOIN images i ON i.id = r.train_image_id " + flags;
            string score = objects ? "r.score" : "r.mean_score";
            var joins = new List<string>();
            var where = new List<string> { "r.run_id = @runId" };
            if (filter.State is not null) joins.Add(flags);
            if (filter.State == QueueFilter.Unflagged) where.Add("f.image_id IS NULL");
            else if (filter.State is not null) where.Add("f.state = @state");
            if (filter.CategoryCocoId is not null)
            {
                if (objects) joins.Add(annotations);
                where.Add(objects ? "a.category_coco_id = @category"
                    : "EXISTS (SELECT 1 FROM annotations c WHERE c.image_id = r.train_image_id AND c.category_coco_id = @category)");
            }
            if (filter.MinScore is not null) where.Add($"{score} >= @minScore");
            if (filter.MaxScore is not null) where.Add($"{score} <= @maxScore");
            return new QueueSql(select, objects ? "object_rankings" : "overall_influence", string.Join(" ", joins), display,
                string.Join(" AND ", where), filter);
        }

        public string Count(string extraWhere) => $"SELECT COUNT(*) FROM {Table} r {FilterJoins} WHERE {Where} {extraWhere}";

        public string SelectRows(string extraWhere, string orderAndLimit) =>
            $"SELECT {Select} FROM (SELECT r.* FROM {Table} r {FilterJoins} WHERE {Where} {extraWhere} {orderAndLimit}) r {DisplayJoins} ORDER BY r.rank{(orderAndLimit.Contains("DESC") ? " DESC" : "")}";

        public DynamicParameters Args(long runId, object extra)
        {
            var args = new DynamicParameters(extra);
            args.Add("runId", runId);
            args.Add("state", Filter.State);
            args.Add("category", Filter.CategoryCocoId);
            args.Add("minScore", Filter.MinScore);
            args.Add("maxScore", Filter.MaxScore);
            return args;
        }

        public static QueueEntry Entry(QueueRow r) => new((int)r.Rank, r.TrainImageId, r.CocoImageId, (float)r.Score,
            r.State is null ? null : new FlagRecord(r.TrainImageId, r.State, r.Note!, r.Author!, Rows.ParseUtc(r.Updated!), (int)r.Version!.Value),
            r.AnnotationId, r.AnnotationCocoId, (int?)r.CategoryCocoId);
    }
}
