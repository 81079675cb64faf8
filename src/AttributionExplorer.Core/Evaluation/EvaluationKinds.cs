namespace AttributionExplorer.Core.Evaluation;

public static class EvaluationKinds
{
    public const string Counterfactual = "counterfactual";
    public const string Lds = "lds";
    public const string Brittleness = "brittleness";
    public const string LabelErrors = "label_errors";
    public const string Curation = "curation";

    public static readonly IReadOnlyList<string> All = [LabelErrors, Curation, Lds, Counterfactual, Brittleness];

    /// <summary>LDS against ensemble size, written by `precompute study lds` (an hour-long study, not an `eval` verb).</summary>
    public const string LdsEnsemble = "lds_ensemble";
}

/// <summary>Rankings an evaluation can remove by: TRAK for the target's own kind, full-image TRAK applied to a class
/// target, the similarity methods, and a seeded random ranking.</summary>
public static class RankingMethods
{
    public const string Trak = "trak", TrakImage = "trak_image", Esvm = "esvm", Moco = "moco", Clip = "clip", Random = "random";
    public static readonly IReadOnlyList<string> All = [Trak, TrakImage, Esvm, Moco, Clip, Random];
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
