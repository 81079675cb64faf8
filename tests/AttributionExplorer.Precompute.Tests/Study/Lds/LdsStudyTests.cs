using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Tests.Pipeline;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Study.Lds;

namespace AttributionExplorer.Precompute.Tests.Study.Lds;

/// <summary>The LDS study's plumbing at a size that runs in seconds (the measurement itself is in docs/science-notes.md).</summary>
public class LdsStudyTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-lds-study").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static LdsStudyConfig Tiny => new("lds-tiny", SceneSeed: 5, Train: 24, Val: 4, ImageSize: 48, ModelSize: 32, Epochs: 2,
        Models: 2, Trajectory: 2, Subsets: 4, Alpha: 0.5, SubsetSeed: 0, K: 16, Lambda: 1e-3, Threads: 1, Objects: true, Replicates: 3);

    [Fact]
    public void MeasuresEveryKindAtEachEnsembleSizeStoresTheFiguresAndReusesThemWhenRerun()
    {
        var context = new PipelineContext(TinyDemo.Options(root));
        var lines = new List<string>();
        Assert.Null(LdsStudy.Run(context, Tiny with { Subsets = 0, Replicates = 0 }, lines.Add));
        Assert.Contains(lines, l => l.Contains("TRAK checkpoint 4/4") && l.Contains("computed"));
        lines.Clear();
        var first = LdsStudy.Run(context, Tiny, lines.Add)!;
        // The ensemble and its TRAK scores prepared above are reused; only the subset models are trained.
        Assert.Equal(2, lines.Count(l => l.StartsWith("ensemble run") && l.Contains("reused")));
        Assert.Contains(lines, l => l.StartsWith("subset model 4/4: trained"));
        Assert.Equal(4, lines.Count(l => l.StartsWith("TRAK checkpoint") && l.Contains("reused")));

        string[] kinds = [TargetKinds.Image, TargetKinds.ClassAllPixels, TargetKinds.ClassLabelledPixels, TargetKinds.ClassPredictedPixels, TargetKinds.Object];
        Assert.Equal(kinds, first.Result.Points.Select(p => p.TargetKind).Distinct());
        foreach (var kind in first.Result.Points.GroupBy(p => p.TargetKind))
            Assert.Equal(new[] { (1, false, 1), (1, true, 2), (2, false, 2), (2, true, 4) },
                kind.Select(p => (p.Models, p.Trajectory, p.Checkpoints)));
        var measured = first.Result.Points.Where(p => p.Spearman.Count > 0).ToList();
        Assert.NotEmpty(measured);
        Assert.All(measured, p =>
        {
            Assert.InRange(p.Spearman.Mean, -1, 1);
            Assert.True(double.IsFinite(p.Spearman.StandardError));
        });
        Assert.Equal((4, 12, 2), (first.Result.Subsets, first.Result.SubsetSize, first.Result.CheckpointsPerRun));
        Assert.Equal(kinds, first.Result.SeedCeilings!.Select(c => c.TargetKind));
        Assert.All(first.Result.SeedCeilings!, c => Assert.Equal(3, c.Subsets));
        Assert.Contains(lines, l => l.StartsWith("replicate subset model 3/3: trained"));

        var dataset = context.RequireDataset("lds-tiny");
        var stored = Assert.Single(context.Evaluations.LatestComplete(dataset.Id), r => r.Kind == EvaluationKinds.LdsEnsemble);
        Assert.Equal(first.Run.Id, stored.Id);
        var read = JsonSerializer.Deserialize<LdsEnsembleResult>(stored.ResultsJson!)!;
        Assert.Equal(first.Result.Points.Select(p => p.Spearman.Mean), read.Points.Select(p => p.Spearman.Mean));

        int runs = context.Ledger.List(dataset.Id, null).Count;
        var again = LdsStudy.Run(new PipelineContext(TinyDemo.Options(root)), Tiny, lines.Add)!;
        Assert.True(again.Reused);
        Assert.Equal(first.Run.Id, again.Run.Id);
        Assert.Equal(runs, context.Ledger.List(dataset.Id, null).Count);
        Assert.Contains(lines, l => l.Contains("dataset 'lds-tiny'") && l.Contains("used as it is"));
    }

    [Fact]
    public void TheDemosScenesAreRefused()
    {
        var context = new PipelineContext(TinyDemo.Options(root));
        var error = Assert.Throws<ArgumentException>(() => LdsStudy.Run(context, Tiny with { SceneSeed = 1234 }, _ => { }));
        Assert.Contains("--scene-seed 1234", error.Message);
    }

    [Fact]
    public void TheSeedCeilingIsTheSpearmanBetweenTheTwoSeedsOutputsPerTarget()
    {
        // One kind, 4 replicated subsets, 2 targets: target 0 agrees in order (ρ = 1), target 1 is reversed (ρ = −1).
        double[][] first = [[1, 4], [2, 3], [3, 2], [4, 1]];
        double[][] second = [[10, 1], [20, 2], [30, 3], [40, 4]];
        var ceiling = Assert.Single(LdsStudyFigures.Ceilings(["k"], [first], [second]));
        Assert.Equal((0.0, 1.0, 2, 4), (ceiling.Spearman.Mean, ceiling.Spearman.StandardError, ceiling.Spearman.Count, ceiling.Subsets));
    }

    [Fact]
    public void WithSameSeedEverySubsetModelIsTrainedUnderOneSeed()
    {
        var context = new PipelineContext(TinyDemo.Options(root));
        LdsStudy.Run(context, Tiny with { Models = 1, Trajectory = 1, Subsets = 3, Replicates = 0, SameSeed = true, Objects = false }, _ => { });
        var seeds = context.Ledger.List(context.RequireDataset("lds-tiny").Id, "study.lds.subset")
            .Select(r => Core.Runs.RunParameters.Read<LdsStudySubsetParameters>(r)).Select(p => (p.Index, p.Train.Seed)).OrderBy(p => p.Index);
        Assert.Equal([(0, 0), (1, 0), (2, 0)], seeds);
    }
}
