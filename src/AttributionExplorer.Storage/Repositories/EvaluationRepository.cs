using AttributionExplorer.Core.Evaluation;
using Dapper;

namespace AttributionExplorer.Storage.Repositories;

public interface IEvaluationRepository
{
    /// <summary>The running or complete run with these parameters, or a new running one.</summary>
    EvaluationRun BeginOrResume(long datasetId, string kind, string parametersJson, string parametersHash);
    IReadOnlyDictionary<string, string> GetSteps(long evaluationId);
    void SaveStep(long evaluationId, string key, string valueJson, double seconds);
    void Complete(long evaluationId, string resultsJson);
    EvaluationRun? Get(long evaluationId);
    /// <summary>The newest complete run of each kind for the dataset.</summary>
    IReadOnlyList<EvaluationRun> LatestComplete(long datasetId);
}

public sealed class EvaluationRepository(SqliteDatabase database) : IEvaluationRepository
{
    private const string Columns = "id, dataset_id, kind, status, parameters_json, parameters_hash, results_json, started_utc, finished_utc, seconds";

    public EvaluationRun BeginOrResume(long datasetId, string kind, string parametersJson, string parametersHash)
    {
        if (!EvaluationKinds.All.Contains(kind)) throw new ArgumentException($"unknown evaluation kind '{kind}'", nameof(kind));
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        long? id = c.ExecuteScalar<long?>(
            "SELECT id FROM evaluations WHERE dataset_id = @datasetId AND kind = @kind AND parameters_hash = @parametersHash ORDER BY status = 'complete' DESC, id DESC LIMIT 1",
            new { datasetId, kind, parametersHash }, tx);
        id ??= c.ExecuteScalar<long>(
            "INSERT INTO evaluations (dataset_id, kind, status, parameters_json, parameters_hash, started_utc) VALUES (@datasetId, @kind, 'running', @parametersJson, @parametersHash, @now) RETURNING id",
            new { datasetId, kind, parametersJson, parametersHash, now = DapperSetup.ToText(DateTime.UtcNow) }, tx);
        tx.Commit();
        return Get(id.Value)!;
    }

    public IReadOnlyDictionary<string, string> GetSteps(long evaluationId)
    {
        using var c = database.Open();
        return c.Query<(string Key, string Value)>("SELECT step_key, value_json FROM evaluation_steps WHERE evaluation_id = @evaluationId", new { evaluationId })
            .ToDictionary(r => r.Key, r => r.Value);
    }

    public void SaveStep(long evaluationId, string key, string valueJson, double seconds)
    {
        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute("INSERT OR REPLACE INTO evaluation_steps (evaluation_id, step_key, value_json, seconds) VALUES (@evaluationId, @key, @valueJson, @seconds)",
            new { evaluationId, key, valueJson, seconds }, tx);
        c.Execute("UPDATE evaluations SET seconds = seconds + @seconds WHERE id = @evaluationId", new { evaluationId, seconds }, tx);
        tx.Commit();
    }

    public void Complete(long evaluationId, string resultsJson)
    {
        using var c = database.Open();
        int changed = c.Execute("UPDATE evaluations SET status = 'complete', results_json = @resultsJson, finished_utc = @now WHERE id = @evaluationId",
            new { evaluationId, resultsJson, now = DapperSetup.ToText(DateTime.UtcNow) });
        if (changed == 0) throw new KeyNotFoundException($"evaluation {evaluationId} does not exist");
    }

    public EvaluationRun? Get(long evaluationId) => Query("WHERE id = @evaluationId", new { evaluationId }).FirstOrDefault();

    public IReadOnlyList<EvaluationRun> LatestComplete(long datasetId) =>
        Query("WHERE id IN (SELECT MAX(id) FROM evaluations WHERE dataset_id = @datasetId AND status = 'complete' GROUP BY kind) ORDER BY kind", new { datasetId });

    private IReadOnlyList<EvaluationRun> Query(string where, object args)
    {
        using var c = database.Open();
        return c.Query<(long Id, long DatasetId, string Kind, string Status, string Parameters, string Hash, string? Results, string Started, string? Finished, double Seconds)>(
                $"SELECT {Columns} FROM evaluations {where}", args)
            .Select(r => new EvaluationRun(r.Id, r.DatasetId, r.Kind, r.Status, r.Parameters, r.Hash, r.Results,
                Rows.ParseUtc(r.Started), r.Finished is null ? null : Rows.ParseUtc(r.Finished), r.Seconds))
            .ToList();
    }
}
