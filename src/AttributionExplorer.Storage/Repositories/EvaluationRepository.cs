using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Ports;
using AttributionExplorer.Core.Runs;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>Evaluations are ledger runs of kind "eval.{kind}"; their results are the run's result and their steps its units.</summary>
public sealed class EvaluationRepository(ISqlDatabase database) : IEvaluationRepository
{
    public const string KindPrefix = "eval.";

    public static string RunKind(string evaluationKind) => KindPrefix + evaluationKind;

    public EvaluationRun? Get(long evaluationId)
    {
        using var c = database.Open();
        return RunLedgerRepository.Query(c, "WHERE id = @evaluationId AND kind LIKE 'eval.%'", new { evaluationId }).Select(ToEvaluation).FirstOrDefault();
    }

    public IReadOnlyList<EvaluationRun> LatestComplete(long datasetId)
    {
        using var c = database.Open();
        return RunLedgerRepository.Query(c,
                "WHERE id IN (SELECT MAX(id) FROM runs WHERE dataset_id = @datasetId AND kind LIKE 'eval.%' AND state = 'complete' GROUP BY kind) ORDER BY kind",
                new { datasetId })
            .Select(ToEvaluation).ToList();
    }

    public static EvaluationRun ToEvaluation(RunRecord run) => new(run.Id, run.DatasetId, run.Kind[KindPrefix.Length..],
        run.IsComplete ? EvaluationStatus.Complete : EvaluationStatus.Running, run.ParametersJson, run.Identity, run.ResultJson,
        run.StartedUtc ?? run.CreatedUtc, run.FinishedUtc, run.Seconds);
}
