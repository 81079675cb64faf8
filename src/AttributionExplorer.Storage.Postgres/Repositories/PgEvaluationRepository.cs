using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Storage.Postgres.Repositories;

/// <summary>As the SQLite adapter: evaluations are ledger runs of kind "eval.{kind}"; their results are the run's result and their steps its units.</summary>
public sealed class PgEvaluationRepository(PostgresDatabase database) : IEvaluationRepository
{
    public EvaluationRun? Get(long evaluationId)
    {
        using var c = database.Open();
        return PgRunLedgerRepository.Query(c, "WHERE id = @evaluationId AND kind LIKE 'eval.%'", new { evaluationId }).Select(EvaluationRepository.ToEvaluation).FirstOrDefault();
    }

    public IReadOnlyList<EvaluationRun> LatestComplete(long datasetId)
    {
        using var c = database.Open();
        return PgRunLedgerRepository.Query(c,
                "WHERE id IN (SELECT MAX(id) FROM runs WHERE dataset_id = @datasetId AND kind LIKE 'eval.%' AND state = 'complete' GROUP BY kind) ORDER BY kind",
                new { datasetId })
            .Select(EvaluationRepository.ToEvaluation).ToList();
    }
}
