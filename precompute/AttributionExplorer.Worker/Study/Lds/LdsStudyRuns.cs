using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;

namespace AttributionExplorer.Worker.Study.Lds;

// The ledger runs of the study: each is found by its inputs, so a rerun (or a bigger study) reuses what is complete.

/// <summary>One independently seeded training run that keeps its last <paramref name="Trajectory"/> epochs as
/// checkpoints (artifacts "epoch{e}").</summary>
public sealed record LdsStudyTrainParameters(TrainRunParameters Train, int Trajectory) : IRunParameters
{
    public string RunKind => "study.lds.train";
}

public sealed record LdsStudyTrainResult(int[] Epochs, double ValMeanIou, double Seconds);

/// <summary>One model trained on one α-subset of the training images (artifact "model"): the ground truth of LDS.</summary>
public sealed record LdsStudySubsetParameters(TrainRunParameters Train, double Alpha, int SubsetSeed, int Index, int[] Keep) : IRunParameters
{
    public string RunKind => "study.lds.subset";
}

public sealed record LdsStudySubsetResult(double Seconds);

/// <summary>TRAK's train side for one checkpoint of a training run: the scoring matrix (ΦᵀΦ + λ·mean diag·I)⁻¹Φᵀ [k, n]
/// (artifact "scoring") and the kernel's spectrum.</summary>
/// <param name="TrainFeatures">null: gradients of the training loss (the product's TRAK); "margin": gradients of the
/// train image's full-image margin with the out-to-loss factor Q folded into the scoring matrix (the reference's
/// roles: features from the output function, Q applied at scoring).</param>
public sealed record LdsStudyKernelParameters(long TrainRunId, int Epoch, TrakProjection Projection, double Lambda,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TrainFeatures = null) : IRunParameters
{
    public string RunKind => "study.lds.kernel";
}

public sealed record LdsStudyKernelResult(KernelSpectrum Spectrum, double Seconds);

/// <summary>TRAK scores [targets, n] of one target kind under one checkpoint (artifact "scores").
/// <paramref name="PredictionRunIds"/>: the training runs whose final checkpoints define predicted-pixel targets (empty
/// for kinds that do not use predictions).</summary>
public sealed record LdsStudyScoreParameters(long KernelRunId, string TargetKind, string Output, int Targets, long[] PredictionRunIds) : IRunParameters
{
    public string RunKind => "study.lds.scores";
}

public sealed record LdsStudyScoreResult(int Targets, double Seconds);
