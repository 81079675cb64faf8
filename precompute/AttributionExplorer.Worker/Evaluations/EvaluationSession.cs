using System.Text.Json;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>The parameters of an evaluation run (kind "eval.{evaluation}"): its own settings, seeds included.</summary>
public sealed record EvaluationParameters(string Evaluation, JsonElement Settings) : IRunParameters
{
    public string RunKind => EvaluationRepository.RunKind(Evaluation);
}

/// <summary>One evaluation as a ledger run: steps (each retrained model's measurements) are units, stored as soon as they
/// finish and read back instead of recomputed when an interrupted run resumes; a complete run is reused whole.</summary>
public sealed class EvaluationSession(RunScope scope)
{
    public int Resumed { get; private set; }
    public int Computed { get; private set; }

    public static T Run<T>(EvaluationSetup setup, string kind, object settings, Func<EvaluationSession, T> body)
    {
        var dataset = setup.Context.Datasets.Get(setup.Data.DatasetId)!;
        var parameters = new EvaluationParameters(kind, JsonSerializer.SerializeToElement(settings));
        return setup.Context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope => body(new EvaluationSession(scope))).Result;
    }

    public T Step<T>(string key, Func<T> compute)
    {
        if (scope.HasUnit(key)) Resumed++;
        else Computed++;
        return scope.Unit(key, compute);
    }
}
