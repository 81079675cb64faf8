namespace AttributionExplorer.Core.Evaluation;

// Results of each evaluation kind, stored as JSON in evaluations.results_json and drawn by the Evaluation page.

/// <param name="PrecisionCurve">Precision among the first k suspects, k = 1…n.</param>
/// <param name="Figures">AUROC, AP and precision in the first 5% with 95% bootstrap intervals (null in older runs).</param>
/// <param name="ApGainOverConfidence">AP minus the confidence detector's AP, paired bootstrap 95% interval (null for
/// confidence itself, or when it has no run).</param>
/// <param name="AurocByKind">Per kind of known error: AUROC of that kind's errors against the clean images.</param>
public sealed record LabelErrorMethodResult(string Method, string Description, double PrecisionAt5Percent, double PrecisionAt10Percent,
    double RecallAt10Percent, double Auroc, double Auprc, double[] PrecisionCurve, DetectionFigures? Figures = null,
    Interval? ApGainOverConfidence = null, IReadOnlyDictionary<string, double>? AurocByKind = null);

/// <param name="ErrorsByKind">How many known errors of each kind the training set has.</param>
/// <param name="QueueDefault">The detector the label-error queue uses by default.</param>
/// <param name="QueueDefaultEvidence">What the label-error study found for it (the reason it is the default, with the
/// runs where it fell short).</param>
public sealed record LabelErrorResult(int TrainImages, int PlantedErrors, IReadOnlyList<LabelErrorMethodResult> Methods,
    IReadOnlyDictionary<string, int>? ErrorsByKind = null, string? QueueDefault = null, string? QueueDefaultEvidence = null);

/// <param name="Name">A train-image ranking method (label-error detector) or "random" (the control).</param>
/// <param name="QueueDefault">Whether it is the label-error queue's default detector.</param>
/// <param name="RankingRunId">The train-ranking run whose order was used; null for random.</param>
/// <param name="Source">How the order was made: the stored ranking (it uses no held-out data), recomputed over the
/// selection half (it does), or seeded at random per retraining seed.</param>
public sealed record CurationOrder(string Name, bool QueueDefault, long? RankingRunId, string Source);

/// <param name="Order">"none" for the baseline (nothing removed), else a <see cref="CurationOrder.Name"/>.</param>
/// <param name="PerSeed">mIoU on the evaluation half for each seed, in the order of <see cref="CurationResult.Seeds"/>.</param>
public sealed record CurationCell(string Order, int PercentRemoved, int Removed, MeanInterval MeanIou, double[] PerSeed);

/// <summary>mIoU(<paramref name="Order"/>) − mIoU(<paramref name="Against"/>) at one percent, paired by seed.</summary>
public sealed record CurationDifference(string Order, string Against, int PercentRemoved, MeanInterval Difference);

/// <summary>Curation: held-out mIoU after removing the most suspect N% of the training images by each order and
/// retraining with each seed; intervals are Student-t over seeds (<paramref name="Interval"/> says so).</summary>
/// <param name="Baseline">Nothing removed (0%), one model per seed shared by every order.</param>
public sealed record CurationResult(int SelectionImages, int EvaluationImages, IReadOnlyList<int> Seeds, string Interval,
    IReadOnlyList<CurationOrder> Orders, CurationCell Baseline, IReadOnlyList<CurationCell> Cells, IReadOnlyList<CurationDifference> Differences);

public sealed record LdsMethodResult(string Method, string TargetKind, MeanWithError Spearman, int Targets);

public sealed record LdsResult(int Subsets, double Alpha, int SubsetSize, IReadOnlyList<LdsMethodResult> Methods);

/// <summary>TRAK's LDS for one target kind from the first <paramref name="Models"/> independently trained runs: their
/// final checkpoints only (<paramref name="Trajectory"/> false) or each run's last epochs (true).</summary>
/// <param name="SubsetInterval">95% bootstrap interval over subsets (<see cref="LinearDatamodeling.SubsetBootstrap"/>); null in results stored before it existed.</param>
public sealed record LdsEnsemblePoint(string TargetKind, int Models, bool Trajectory, int Checkpoints, MeanWithError Spearman, int Targets,
    Interval? SubsetInterval = null);

/// <summary>How far a subset model's output on a target follows the data rather than the seed: the Spearman, over
/// <paramref name="Subsets"/> subsets, between two models trained on each subset under different seeds; mean ± SE over targets.</summary>
public sealed record LdsSeedCeiling(string TargetKind, MeanWithError Spearman, int Subsets);

/// <param name="DefaultClassTarget">The class-target variant the app's "class" kind used when the study ran.</param>
/// <param name="SeedCeilings">Per kind, when the study retrained some subsets under a second seed.</param>
public sealed record LdsEnsembleResult(int TrainImages, int HeldOutImages, int Subsets, double Alpha, int SubsetSize, int ProjectionDim,
    int CheckpointsPerRun, string DefaultClassTarget, IReadOnlyList<LdsEnsemblePoint> Points, IReadOnlyList<LdsSeedCeiling>? SeedCeilings = null,
    int SeedsPerSubset = 1, IReadOnlyList<LdsReference>? References = null);

/// <summary>A non-attribution predictor of the subset models' outputs, scored like LDS (Spearman over subsets, mean ±
/// SE over targets): what the ground truth follows besides the attribution (e.g. a subset's share of labelled
/// foreground, or the component every target of the kind shares).</summary>
public sealed record LdsReference(string TargetKind, string Predictor, MeanWithError Spearman);

/// <param name="LossIncrease">Mean over targets (and seeds) of loss(model without the top-k) − loss(full-data model).</param>
public sealed record CounterfactualCell(string Method, int Removed, MeanWithError LossIncrease);

public sealed record CounterfactualResult(int Targets, int Seeds, string Loss, MeanWithError BaselineLoss, IReadOnlyList<CounterfactualCell> Cells);

public sealed record BrittlenessTarget(long ImageId, int CategoryCocoId, string Method, double FullDataOutput, int? Smallest, int LowerBound,
    IReadOnlyList<BisectionStep> Steps);

public sealed record BrittlenessResult(int Budget, int RetrainsPerStep, int MaxSupport, string BreakRule, IReadOnlyList<BrittlenessTarget> Targets);
