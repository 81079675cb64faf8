namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>One LDS-against-ensemble-size study: which data, the ensemble (independent runs × trajectory checkpoints),
/// the subset models that give the ground truth, and TRAK's projection.</summary>
/// <param name="Replicates">The first this many subsets are trained a second time under another seed: the Spearman
/// between the two models' outputs over those subsets is the seed-noise ceiling of LDS.</param>
/// <param name="SeedsPerSubset">Each subset is trained under this many seeds and its ground-truth output is their
/// mean: a single model's output is mostly seed noise, which caps any attribution's LDS (docs/science-notes.md).</param>
/// <param name="TrainFeatures">"margin": TRAK's train features from the full-image margin with Q (research variant);
/// null or "loss": the product's loss gradients.</param>
/// <param name="RecalibrateBatchNorm">Diagnostic: before taking a subset model's outputs, re-estimate its BatchNorm
/// statistics on the whole training set, so the ground truth no longer depends on the subset through running statistics
/// (which gradient attribution cannot see). Not TRAK's LDS: the model then sees the other images' pixels.</param>
/// <param name="Schedule">Learning-rate schedule of every model; null = the demo's (Demo:Training:Schedule).</param>
/// <param name="Optimizer">Optimizer of every model; null = the demo's (Demo:Training:Optimizer).</param>
/// <param name="LearningRate">Start learning rate of every model; null = the demo's (Demo:Training:LearningRate).</param>
/// <param name="WarmupEpochs">Linear warm-up epochs of every model; null = the demo's (Demo:Training:WarmupEpochs).</param>
/// <param name="Dataset">Used as it is when the database has it; otherwise generated (scene seed, sizes) and imported under this name.</param>
public sealed record LdsStudyConfig(string Dataset, int SceneSeed, int Train, int Val, int ImageSize, int ModelSize, int Epochs,
    int Models, int Trajectory, int Subsets, double Alpha, int SubsetSeed, int K, double Lambda, int Threads, bool Objects, int Replicates = 0, bool SameSeed = false,
    string? Schedule = null, int SeedsPerSubset = 1, string? TrainFeatures = null, bool RecalibrateBatchNorm = false,
    string? Optimizer = null, double? LearningRate = null, int? WarmupEpochs = null)
{
    /// <summary>Ensemble sizes measured (those up to <see cref="Models"/>, and <see cref="Models"/> itself).</summary>
    public IReadOnlyList<int> ModelCounts => new[] { 1, 2, 4, 8, 16 }.Where(m => m < Models).Append(Models).ToList();

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(Models >= 1, $"--models must be ≥ 1, got {Models}");
        Require(Trajectory >= 1 && Trajectory <= Epochs, $"--trajectory must be in 1…{Epochs} (the epochs), got {Trajectory}");
        Require(Subsets == 0 || Subsets >= 3, $"--subsets must be ≥ 3 (a Spearman correlation needs three points), or 0 to prepare the ensemble and its TRAK scores only, got {Subsets}");
        Require(Replicates == 0 || (Replicates >= 3 && Replicates <= Subsets), $"--replicates must be 0 or in 3…{Subsets} (the subsets), got {Replicates}");
        Require(TrainFeatures is null or "loss" or LdsStudyTrak.MarginFeatures, $"--train-features must be loss or margin, got {TrainFeatures}");
        Require(SeedsPerSubset >= 1, $"--seeds-per-subset must be ≥ 1, got {SeedsPerSubset}");
        Require(Alpha is > 0 and < 1, $"--alpha must be in (0, 1), got {Alpha}");
        Require(K >= 1, $"--k must be ≥ 1, got {K}");
        if (Schedule is not null && AttributionExplorer.Core.Training.LearningRateSchedules.Problem(Schedule) is { } problem)
            throw new ArgumentException($"--schedule {problem}, got {Schedule}");
        if (Optimizer is not null && AttributionExplorer.Core.Training.Optimizers.Problem(Optimizer) is { } optimizerProblem)
            throw new ArgumentException($"--optimizer {optimizerProblem}, got {Optimizer}");
        Require(WarmupEpochs is null || (WarmupEpochs >= 0 && WarmupEpochs < Epochs), $"--warmup-epochs must be in 0…{Epochs - 1}, got {WarmupEpochs}");
        Require(LearningRate is null or > 0, $"--learning-rate must be > 0, got {LearningRate}");
        Require(SceneSeed != StudyConfig.DemoSeed, $"--scene-seed {StudyConfig.DemoSeed} is the demo's: the study must not be measured on the demo's scenes");
    }
}
