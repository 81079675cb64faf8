namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>One LDS-against-ensemble-size study: which data, the ensemble (independent runs × trajectory checkpoints),
/// the subset models that give the ground truth, and TRAK's projection.</summary>
/// <param name="Replicates">The first this many subsets are trained a second time under another seed: the Spearman
/// between the two models' outputs over those subsets is the seed-noise ceiling of LDS.</param>
/// <param name="Dataset">Used as it is when the database has it; otherwise generated (scene seed, sizes) and imported under this name.</param>
public sealed record LdsStudyConfig(string Dataset, int SceneSeed, int Train, int Val, int ImageSize, int ModelSize, int Epochs,
    int Models, int Trajectory, int Subsets, double Alpha, int SubsetSeed, int K, double Lambda, int Threads, bool Objects, int Replicates = 0, bool SameSeed = false)
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
        Require(Alpha is > 0 and < 1, $"--alpha must be in (0, 1), got {Alpha}");
        Require(K >= 1, $"--k must be ≥ 1, got {K}");
        Require(SceneSeed != StudyConfig.DemoSeed, $"--scene-seed {StudyConfig.DemoSeed} is the demo's: the study must not be measured on the demo's scenes");
    }
}
