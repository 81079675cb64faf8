using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;
using AttributionExplorer.Storage.Repositories;
using Npgsql;

namespace AttributionExplorer.Storage.Postgres.Repositories;

public sealed class PgTrainRankingRepository(PostgresDatabase database) : ITrainRankingRepository
{
    public void Write(long runId, IReadOnlyList<(long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM overall_influence WHERE run_id = @runId", new { runId }, tx);
        Insert(c, runId, mostSuspectFirst.Select(r => r.TrainImageId).ToArray(), mostSuspectFirst.Select(r => r.Score).ToArray(),
            Enumerable.Range(0, mostSuspectFirst.Count).ToArray());
        tx.Commit();
    }

    /// <summary>Rows for ids[order[r]] with rank r + 1, by COPY inside the caller's transaction.</summary>
    internal static void Insert(NpgsqlConnection c, long runId, IReadOnlyList<long> ids, IReadOnlyList<float> scores, IReadOnlyList<int> order) =>
        PgBulk.Copy(c, "overall_influence", "run_id, train_image_id, mean_score, rank", Enumerable.Range(0, order.Count),
            (row, r) => row.Long(runId).Long(ids[order[r]]).Double(scores[order[r]]).Long(r + 1));

    public int Count(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM overall_influence WHERE run_id = @runId", new { runId });
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

    public InfluenceHistogram Histogram(long runId, int bins)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins));
        using var c = database.Open();
        var (min, max) = c.QueryFirst<(double?, double?)>("SELECT MIN(mean_score), MAX(mean_score) FROM overall_influence WHERE run_id = @runId", new { runId });
        if (min is null || max is null) return new InfluenceHistogram(0, 0, [], []);
        double lo = min.Value, hi = max.Value > min.Value ? max.Value : min.Value + 1e-12;
        var counts = new int[bins];
        var planted = new int[bins];
        foreach (var (bin, count, plantedCount) in c.Query<(long, long, long)>(
                     "SELECT LEAST(@bins - 1, floor((o.mean_score - @lo) / (@hi - @lo) * @bins)::bigint) AS bin, COUNT(*), " +
                     "COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM planted_errors p WHERE p.image_id = o.train_image_id)) " +
                     "FROM overall_influence o WHERE o.run_id = @runId GROUP BY bin", new { runId, bins, lo, hi }))
        {
            counts[bin] = (int)count;
            planted[bin] = (int)plantedCount;
        }
        return new InfluenceHistogram(lo, hi, counts, planted);
    }

    public void WriteObjects(long runId, IReadOnlyList<(long AnnotationId, long TrainImageId, float Score)> mostSuspectFirst)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("DELETE FROM object_rankings WHERE run_id = @runId", new { runId }, tx);
        PgBulk.Copy(c, "object_rankings", "run_id, annotation_id, train_image_id, score, rank", Enumerable.Range(0, mostSuspectFirst.Count),
            (row, r) => row.Long(runId).Long(mostSuspectFirst[r].AnnotationId).Long(mostSuspectFirst[r].TrainImageId).Double(mostSuspectFirst[r].Score).Long(r + 1));
        tx.Commit();
    }

    public int CountObjects(long runId)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM object_rankings WHERE run_id = @runId", new { runId });
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
        var args = q.Args(runId, new { offset, limit });
        int total = c.ExecuteScalar<int>($"SELECT COUNT(*) {q.From} WHERE {q.Where}", args);
        var items = c.Query<QueueRow>($"SELECT {q.Select} {q.From} WHERE {q.Where} ORDER BY r.rank LIMIT @limit OFFSET @offset", args)
            .Select(QueueSql.Entry).ToList();
        return new QueueSlice(total, items);
    }

    public QueuePosition PositionInQueue(long runId, bool objects, QueueFilter filter, int rank)
    {
        filter.Validate();
        var q = QueueSql.Of(objects, filter);
        using var c = database.Open();
        var args = q.Args(runId, new { rank });
        int before = c.ExecuteScalar<int>($"SELECT COUNT(*) {q.From} WHERE {q.Where} AND r.rank < @rank", args);
        var previous = c.Query<QueueRow>($"SELECT {q.Select} {q.From} WHERE {q.Where} AND r.rank < @rank ORDER BY r.rank DESC LIMIT 1", args)
            .Select(QueueSql.Entry).FirstOrDefault();
        var next = c.Query<QueueRow>($"SELECT {q.Select} {q.From} WHERE {q.Where} AND r.rank > @rank ORDER BY r.rank LIMIT 1", args)
            .Select(QueueSql.Entry).FirstOrDefault();
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

    /// <summary>The queue's SQL (as the SQLite adapter's): a run's ranking (r) joined to its images (i), their flags (f) and, for objects, the
    /// annotations (a); the filter becomes WHERE clauses with named parameters.</summary>
    private sealed record QueueSql(string Select, string From, string Where, QueueFilter Filter)
    {
        public static QueueSql Of(bool objects, QueueFilter filter)
        {
            string from = objects
                ? "FROM object_rankings r LEFT JOIN annotations a ON a.id = r.annotation_id JOIN images i ON i.id = r.train_image_id LEFT JOIN flags f ON f.image_id = r.train_image_id"
                : "FROM overall_influence r JOIN images i ON i.id = r.train_image_id LEFT JOIN flags f ON f.image_id = r.train_image_id";
            string select = "r.rank AS Rank, r.train_image_id AS TrainImageId, i.coco_id AS CocoImageId, " +
                (objects ? "r.score AS Score, r.annotation_id AS AnnotationId, a.coco_id AS AnnotationCocoId, a.category_coco_id AS CategoryCocoId, "
                    : "r.mean_score AS Score, NULL AS AnnotationId, NULL AS AnnotationCocoId, NULL AS CategoryCocoId, ") +
                "f.state AS State, f.note AS Note, f.author AS Author, f.updated_utc AS Updated, f.version AS Version";
            string score = objects ? "r.score" : "r.mean_score";
            var where = new List<string> { "r.run_id = @runId" };
            if (filter.State == QueueFilter.Unflagged) where.Add("f.image_id IS NULL");
            else if (filter.State is not null) where.Add("f.state = @state");
            if (filter.CategoryCocoId is not null)
                where.Add(objects ? "a.category_coco_id = @category"
                    : "EXISTS (SELECT 1 FROM annotations c WHERE c.image_id = r.train_image_id AND c.category_coco_id = @category)");
            if (filter.MinScore is not null) where.Add($"{score} >= @minScore");
            if (filter.MaxScore is not null) where.Add($"{score} <= @maxScore");
            return new QueueSql(select, from, string.Join(" AND ", where), filter);
        }

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
