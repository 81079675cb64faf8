namespace AttributionExplorer.Core.Evaluation;

public static class EvaluationKinds
{
    public const string Counterfactual = "counterfactual";
    public const string Lds = "lds";
    public const string Brittleness = "brittleness";
    public const string LabelErrors = "label_errors";
    public const string Curation = "curation";

    public static readonly IReadOnlyList<string> All = [LabelErrors, Curation, Lds, Counterfactual, Brittleness];
}

/// <summary>One evaluation run: its parameters (JSON, with seeds) and, once complete, its results (JSON of the kind's
/// result record). Steps (each retrained model's measurements) are stored as they finish, so a rerun resumes.</summary>
public sealed record EvaluationRun(long Id, long DatasetId, string Kind, string Status, string ParametersJson, string ParametersHash,
    string? ResultsJson, DateTime StartedUtc, DateTime? FinishedUtc, double Seconds);

public static class EvaluationStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
}
