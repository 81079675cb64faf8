namespace AttributionExplorer.Worker.Study;

/// <summary>One label-error study: the generated data, the ensemble, TRAK and the out-of-sample folds.</summary>
public sealed record StudyConfig(int Train, int Val, int SceneSeed, int[] PlantingSeeds, double[] Rates, string Kinds,
    int Epochs, int Models, int Trajectory, int K, double Lambda, int Folds, int ModelSize, int ImageSize, int Threads,
    int Resamples, string WorkFolder)
{
    public const int DemoSeed = 1234;
}
