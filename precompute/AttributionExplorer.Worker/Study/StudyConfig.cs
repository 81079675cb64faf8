namespace AttributionExplorer.Worker.Study;

/// <summary>One label-error study: the generated data, the ensemble, TRAK and the out-of-sample folds.</summary>
/// <param name="Schedule">Learning-rate schedule of every model; null = the demo's default.</param>
public sealed record StudyConfig(int Train, int Val, int SceneSeed, int[] PlantingSeeds, double[] Rates, string Kinds,
    int Epochs, int Models, int Trajectory, int K, double Lambda, int Folds, int ModelSize, int ImageSize, int Threads,
    int Resamples, string WorkFolder, string? Schedule = null)
{
    public const int DemoSeed = 1234;
}
