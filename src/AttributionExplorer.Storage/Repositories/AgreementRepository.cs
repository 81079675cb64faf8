using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Ports;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public sealed class AgreementRepository(ISqlDatabase database) : IAgreementRepository
{
    public void Write(IReadOnlyList<RankAgreementRecord> rows)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        using var upsert = PreparedCommand.Create(c, tx,
            "INSERT INTO rank_agreement (target_a, target_b, overlap_at_10, overlap_at_50, spearman_top50_union, candidates) VALUES (@a, @b, @o10, @o50, @s, @n) " +
            "ON CONFLICT (target_a, target_b) DO UPDATE SET overlap_at_10 = excluded.overlap_at_10, overlap_at_50 = excluded.overlap_at_50, " +
            "spearman_top50_union = excluded.spearman_top50_union, candidates = excluded.candidates",
            "@a", "@b", "@o10", "@o50", "@s", "@n");
        foreach (var r in rows)
            PreparedCommand.Execute(upsert, r.TargetA, r.TargetB, r.OverlapAt10, r.OverlapAt50, r.SpearmanTop50Union, r.Candidates);
        tx.Commit();
    }

    public IReadOnlyList<RankAgreementRecord> Get(IReadOnlyCollection<long> targetIds)
    {
        if (targetIds.Count == 0) return [];
        using var c = database.Open();
        return c.Query<(long A, long B, double O10, double O50, double? S, long N)>(
                $"SELECT target_a, target_b, overlap_at_10, overlap_at_50, spearman_top50_union, candidates FROM rank_agreement WHERE {database.Dialect.InList("target_a", "@ids")} AND {database.Dialect.InList("target_b", "@ids")}",
                new { ids = targetIds.ToArray() })
            .Select(r => new RankAgreementRecord(r.A, r.B, r.O10, r.O50, r.S, (int)r.N)).ToList();
    }
}
