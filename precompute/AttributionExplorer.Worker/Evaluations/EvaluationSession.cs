using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>One evaluation run in the database: steps finished earlier (same parameters) are read back instead of
/// recomputed, new ones are stored as soon as they finish, and the results complete the run.</summary>
public sealed class EvaluationSession
{
    private readonly PipelineContext context;
    private readonly Dictionary<string, string> steps;

    public EvaluationSession(PipelineContext context, long datasetId, string kind, object parameters)
    {
        this.context = context;
        string json = JsonSerializer.Serialize(parameters);
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + json)))[..16].ToLowerInvariant();
        Run = context.Evaluations.BeginOrResume(datasetId, kind, json, hash);
        steps = context.Evaluations.GetSteps(Run.Id).ToDictionary();
    }

    public EvaluationRun Run { get; }
    public bool IsComplete => Run.Status == EvaluationStatus.Complete;
    public int Resumed { get; private set; }
    public int Computed { get; private set; }

    public T Step<T>(string key, Func<T> compute)
    {
        if (steps.TryGetValue(key, out var stored))
        {
            Resumed++;
            return JsonSerializer.Deserialize<T>(stored)!;
        }
        var clock = Stopwatch.StartNew();
        var value = compute();
        string json = JsonSerializer.Serialize(value);
        context.Evaluations.SaveStep(Run.Id, key, json, clock.Elapsed.TotalSeconds);
        steps[key] = json;
        Computed++;
        return value;
    }

    public void Complete<T>(T results) => context.Evaluations.Complete(Run.Id, JsonSerializer.Serialize(results));

    public T Results<T>() => JsonSerializer.Deserialize<T>(context.Evaluations.Get(Run.Id)!.ResultsJson!)!;
}
