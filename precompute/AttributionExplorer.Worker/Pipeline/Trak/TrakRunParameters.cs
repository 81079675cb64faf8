using System.Text.Json.Serialization;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>How train and target gradients are turned into features: the same for every stage of one TRAK computation.</summary>
public sealed record TrakProjection(int ProjectionDim, string Projection, long ProjectionSeed, int GradientBatchSize)
{
    public static TrakProjection Of(TrakOptions trak) => new(trak.ProjectionDim, ParseKind(trak.ProjectionKind).ToString().ToLowerInvariant(), trak.ProjectionSeed, trak.GradientBatchSize);

    /// <param name="gradients">How per-example gradients are computed (the loop and the batched method agree to 1e-5, so
    /// the choice is not part of a run's identity).</param>
    public TrakSettings Settings(double lambda, GradientMethod gradients) =>
        new(ProjectionDim, ParseKind(Projection), ProjectionSeed, lambda, GradientBatchSize, Gradients: gradients);

    public static GradientMethod ParseGradients(string name) => name.ToLowerInvariant() switch
    {
        "loop" => GradientMethod.Loop,
        "batched" => GradientMethod.Batched,
        _ => throw new ArgumentException($"appsettings.json: AttributionExplorer:Trak:GradientMethod must be loop or batched, got '{name}'"),
    };

    public static ProjectionKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "gaussian" => ProjectionKind.Gaussian,
        "rademacher" => ProjectionKind.Rademacher,
        "structured" => ProjectionKind.Structured,
        "srht" => ProjectionKind.Srht,
        _ => throw new ArgumentException($"appsettings.json: AttributionExplorer:Trak:ProjectionKind must be gaussian, rademacher, srht or structured, got '{name}'"),
    };
}

/// <summary>Stage 1 (kind "trak.featurize"): projected loss gradients of train images [Start, Start + Count) under one
/// checkpoint (its training run is the upstream run). Writes a features artifact [Count, k].</summary>
/// <param name="CheckpointEpoch">Which of the training run's trajectory checkpoints (0 = its only one; left out of the
/// identity then, so runs recorded before trajectories keep theirs).</param>
public sealed record TrakFeaturizeParameters(long CheckpointRunId, TrakProjection Projection, int Start, int Count, int TrainImages,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int CheckpointEpoch = 0) : IRunParameters
{
    public string RunKind => "trak.featurize";

    public static TrakFeaturizeParameters For(CheckpointRecord checkpoint, TrakProjection projection, int start, int count, int trainImages) =>
        new(checkpoint.RunId, projection, start, count, trainImages, checkpoint.Epoch);
    public string TrainFeatures => "grad of mean pixel cross-entropy, eval mode, /sqrt(p), projected";
}

public sealed record TrakFeaturizeResult(int Rows, int Columns, long ParameterCount);

/// <summary>Stage 2 (kind "trak.finalize"): the kernel of one checkpoint from all its feature ranges (upstream), and
/// the scoring matrix (ΦᵀΦ + λ·mean(diag)·I)⁻¹Φᵀ [k, n] as an artifact.</summary>
public sealed record TrakFinalizeParameters(long CheckpointRunId, TrakProjection Projection, double Lambda,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int CheckpointEpoch = 0) : IRunParameters
{
    public string RunKind => "trak.finalize";

    public static TrakFinalizeParameters For(CheckpointRecord checkpoint, TrakProjection projection, double lambda) =>
        new(checkpoint.RunId, projection, lambda, checkpoint.Epoch);
    public string LambdaRelativeTo => "mean diag of PhiT Phi";
}

/// <summary>The kernel's regime: n/k, its spectrum and where λ sits, so a degenerate run can say so.</summary>
/// <param name="EigenvaluesBelowRidge">Eigenvalues of ΦᵀΦ below the ridge; null in runs recorded before it was counted.</param>
public sealed record TrakFinalizeResult(int TrainImages, int ProjectionDim, double Ridge, double SmallestEigenvalue, double LargestEigenvalue,
    int Rank, long ParameterCount, int? EigenvaluesBelowRidge = null)
{
    /// <summary>The figures <see cref="Core.LabelErrors.KernelRegime"/> judges. A run recorded before the count existed
    /// counts its numerically zero eigenvalues (k − rank), which lie below any positive ridge: a lower bound.</summary>
    public Core.Domain.KernelFigures Figures(long checkpointId) => new(checkpointId, TrainImages, ProjectionDim, Ridge, SmallestEigenvalue,
        LargestEigenvalue, EigenvaluesBelowRidge ?? ProjectionDim - Rank);
}

/// <summary>Stage 3, the TRAK ranking run of one target kind (kind "rank.trak"): target gradients under every
/// checkpoint against its finalized scoring matrix (upstream: the finalize runs), averaged; one unit per checkpoint.</summary>
/// <param name="CheckpointEpochs">Per entry of <paramref name="CheckpointRunIds"/>, which trajectory checkpoint (null when
/// every run has one checkpoint, so older identities stay as they were).</param>
public sealed record TrakScoreParameters(string Target, string Output, TrakProjection Projection, double Lambda, string ScoreDtype, int TopK,
    string Ensemble, long[] CheckpointRunIds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? CheckpointEpochs = null) : IRunParameters
{
    public static int[]? EpochsOf(IReadOnlyList<CheckpointRecord> checkpoints) =>
        checkpoints.All(c => c.Epoch == 0) ? null : checkpoints.Select(c => c.Epoch).ToArray();

    public string RunKind => "rank." + AttributionMethods.Trak;

    public static readonly IReadOnlyDictionary<string, string> OutputByKind = new Dictionary<string, string>
    {
        [TargetKinds.Image] = "mean pixel log(p/(1-p)) of the true class",
        [TargetKinds.Class] = "mean pixel log(q/(1-q)) of the binary task 'is class c', q = probability of the correct answer",
        [TargetKinds.Object] = "mean log(p/(1-p)) of the true class over the instance mask's pixels",
        [TargetKinds.Region] = "mean log(p/(1-p)) of the true class over the region's pixels",
        [TargetKinds.ClassAllPixels] = "mean pixel log(q/(1-q)) of the binary task 'is class c', q = probability of the correct answer",
        [TargetKinds.ClassLabelledPixels] = "mean log(q/(1-q)) of the binary task 'is class c' over the pixels labelled c",
        [TargetKinds.ClassPredictedPixels] = "mean log(q/(1-q)) of the binary task 'is class c' over the pixels at least half of the checkpoints predict as c",
    };

    /// <summary>The recorded output of a kind; the class kind's is its variant's, so changing the default class target
    /// changes the class run's identity.</summary>
    public static string OutputOf(Precompute.Trak.Targets.ITargetKind kind) => kind switch
    {
        Precompute.Trak.Targets.Kinds.ClassTargetKind { Fallback: { } fallback } c =>
            $"{OutputByKind[c.Variant.Info.Name]}; for a class it leaves out: {OutputByKind[fallback.Info.Name]}",
        Precompute.Trak.Targets.Kinds.ClassTargetKind c when c.Variant.Info.Name != TargetKinds.ClassAllPixels => OutputByKind[c.Variant.Info.Name],
        _ => OutputByKind[kind.Info.Name],
    };

    public ScoreDtype Dtype => ScoreCodec.Parse(ScoreDtype);
}

public sealed record TrakScoreResult(int Targets, int AllTargetsOfKind, int SkippedTargets, IReadOnlyDictionary<string, double> Seconds);
