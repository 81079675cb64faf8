using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Postgres.Repositories;

public sealed class PgAgreementRepository(PostgresDatabase database) : IAgreementRepository
{
    public void Write(IReadOnlyList<RankAgreementRecord> rows)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT INTO rank_agreement (target_a, target_b, overlap_at_10, overlap_at_50, spearman_top50_union, candidates) " +
                  "VALUES (@TargetA, @TargetB, @OverlapAt10, @OverlapAt50, @SpearmanTop50Union, @Candidates) ON CONFLICT (target_a, target_b) DO UPDATE SET " +
                  "overlap_at_10 = excluded.overlap_at_10, overlap_at_50 = excluded.overlap_at_50, spearman_top50_union = excluded.spearman_top50_union, candidates = excluded.candidates",
            rows, tx);
        tx.Commit();
    }

    public IReadOnlyList<RankAgreementRecord> Get(IReadOnlyCollection<long> targetIds)
    {
        if (targetIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<(long A, long B, double O10, double O50, double? S, long N)>(
                "SELECT target_a, target_b, overlap_at_10, overlap_at_50, spearman_top50_union, candidates FROM rank_agreement WHERE target_a = ANY(@ids) AND target_b = ANY(@ids)",
                new { ids = targetIds.ToArray() })
            .Select(r => new RankAgreementRecord(r.A, r.B, r.O10, r.O50, r.S, (int)r.N)).ToList();
    }
}
