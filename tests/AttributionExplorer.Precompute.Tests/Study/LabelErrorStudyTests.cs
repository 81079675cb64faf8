using System.Text.Json;
using AttributionExplorer.Worker.Study;

namespace AttributionExplorer.Precompute.Tests.Study;

/// <summary>The study's plumbing on a tiny configuration (the measurements themselves are in docs/science-notes.md).</summary>
public class LabelErrorStudyTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-study").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private StudyConfig Tiny(params int[] plantingSeeds) => new(Train: 24, Val: 3, SceneSeed: 5, PlantingSeeds: plantingSeeds, Rates: [0.25],
        Kinds: "", Epochs: 2, Models: 2, Trajectory: 2, K: 8, Lambda: 1e-3, Folds: 2, ModelSize: 32, ImageSize: 64, Threads: 1,
        Resamples: 20, WorkFolder: Path.Combine(root, "work"));

    [Fact]
    public void WritesEveryDetectorsFiguresPerKindAndTheKernelSpectrum()
    {
        string output = Path.Combine(root, "figures.json");
        var lines = new List<string>();
        LabelErrorStudy.Run(Tiny(7), output, lines.Add);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(6, run.GetProperty("Errors").GetInt32());
        var images = run.GetProperty("Report").GetProperty("Images").EnumerateArray().ToList();
        var names = images.Select(d => d.GetProperty("Name").GetString()).ToList();
        foreach (var expected in new[] { StudyDetectors.ConfidenceIn, StudyDetectors.ConfidenceOut, StudyDetectors.SelfInfluence,
                     StudyDetectors.HeldOutImageMean, StudyDetectors.HeldOutObjectClass, StudyDetectors.TrainOthers, "random" })
            Assert.Contains(expected, names);
        foreach (var d in images)
        {
            var auroc = d.GetProperty("Overall").GetProperty("Auroc");
            Assert.InRange(auroc.GetProperty("Low").GetDouble(), 0, auroc.GetProperty("Estimate").GetDouble() + 1e-12);
            Assert.InRange(auroc.GetProperty("High").GetDouble(), auroc.GetProperty("Estimate").GetDouble() - 1e-12, 1);
            Assert.NotEmpty(d.GetProperty("AurocByKind").EnumerateObject());
        }
        Assert.Equal(4, run.GetProperty("Spectra").GetArrayLength());
        Assert.Equal(24, run.GetProperty("ImageScores").GetProperty(StudyDetectors.SelfInfluence).GetArrayLength());
        // n = 24 < 4k = 32: every checkpoint is flagged.
        Assert.Equal(4, lines.Count(l => l.Contains("WARNING degenerate regime") && l.Contains("n/k = 3")));
    }

    [Fact]
    public void TheDemosPlantingSeedIsRefused() =>
        Assert.Throws<ArgumentException>(() => LabelErrorStudy.Run(Tiny(1234), Path.Combine(root, "x.json"), _ => { }));
}
