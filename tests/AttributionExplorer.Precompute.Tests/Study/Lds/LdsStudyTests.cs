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

    [Fact]
    public void WithSeveralSeedsPerSubsetTheGroundTruthIsTheirMeanAndTheSecondSeedIsTheReplicate()
    {
        var context = new PipelineContext(TinyDemo.Options(root));
        var config = Tiny with { Models = 1, Trajectory = 1, Subsets = 3, Replicates = 0, SeedsPerSubset = 3, Objects = false, Schedule = "cosine" };
        var outcome = LdsStudy.Run(context, config, _ => { })!;
        var dataset = context.RequireDataset("lds-tiny");
        var trained = context.Ledger.List(dataset.Id, "study.lds.subset")
            .Select(r => Core.Runs.RunParameters.Read<LdsStudySubsetParameters>(r)).Select(p => (p.Index, p.Train.Seed, p.Train.Schedule)).OrderBy(p => p.Seed);
        int offset = LdsStudyTraining.ReplicateSeedOffset;
        Assert.Equal([(0, 0, "cosine"), (1, 1, "cosine"), (2, 2, "cosine"), (0, offset, "cosine"), (1, offset + 1, "cosine"), (2, offset + 2, "cosine"),
            (0, 2 * offset, "cosine"), (1, 2 * offset + 1, "cosine"), (2, 2 * offset + 2, "cosine")], trained);
        Assert.Equal(3, outcome.Result.SeedsPerSubset);
        Assert.All(outcome.Result.SeedCeilings!, c => Assert.Equal(3, c.Subsets));
        var ensemble = Assert.Single(context.Ledger.List(dataset.Id, "study.lds.train"));
        Assert.Equal("cosine", Core.Runs.RunParameters.Read<LdsStudyTrainParameters>(ensemble).Train.Schedule);
    }

    [Fact]
    public void TheMeanOverSeedsIsTakenPerSubsetAndTarget()
    {
        IReadOnlyList<double[]> seed0 = [[1, 2], [3, 4]], seed1 = [[3, 6], [5, 0]];
        var mean = LdsStudyFigures.MeanOverSeeds([seed0, seed1]);
        Assert.Equal(new[] { new[] { 2.0, 4.0 }, new[] { 4.0, 2.0 } }, mean);
        Assert.Throws<ArgumentException>(() => LdsStudyFigures.MeanOverSeeds([seed0, [[1, 1]]]));
    }

    [Fact]
    public void AnUnknownScheduleOrSeedCountIsRefusedNamingTheOption()
    {
        var context = new PipelineContext(TinyDemo.Options(root));
        Assert.Contains("--schedule", Assert.Throws<ArgumentException>(() => LdsStudy.Run(context, Tiny with { Schedule = "step" }, _ => { })).Message);
        Assert.Contains("--seeds-per-subset", Assert.Throws<ArgumentException>(() => LdsStudy.Run(context, Tiny with { SeedsPerSubset = 0 }, _ => { })).Message);
    }

    [Fact]
    public void TheReferencePredictorsAreTheForegroundShareAndTheOtherTargetsMean()
    {
        // 4 training images with foreground shares 0, 0.5, 1, 0.25 (255 is ignored); 4 subsets; one kind, 3 targets.
        double[] foreground = [LdsStudyFigures.ForegroundFraction([0, 0, 255, 0]), LdsStudyFigures.ForegroundFraction([0, 3, 3, 0]),
            LdsStudyFigures.ForegroundFraction([1, 2, 255, 255]), LdsStudyFigures.ForegroundFraction([0, 0, 0, 5])];
        Assert.Equal([0, 0.5, 1, 0.25], foreground);
        int[][] subsets = [[0, 1], [0, 3], [1, 2], [2, 3]];      // shares 0.5, 0.25, 1.5, 1.25
        // Target 0 rises with the share, target 1 falls with it, target 2 follows target 0 exactly.
        double[][] actual = [[2, 9, 2], [1, 10, 1], [4, 7, 4], [3, 8, 3]];
        // Images 1 and 2 carry a planted error: the subsets hold 1, 0, 2, 1 of them.
        double[] planted = [0, 1, 1, 0];
        var references = LdsStudyFigures.References(["k"], subsets, [actual],
            [(LdsStudyFigures.ForegroundShare, foreground), (LdsStudyFigures.PlantedErrors, planted)]);
        var share = Assert.Single(references, r => r.Predictor == LdsStudyFigures.ForegroundShare);
        Assert.Equal((1.0 / 3, 3), (share.Spearman.Mean, share.Spearman.Count));   // mean of +1, −1, +1
        // Error counts (1, 0, 2, 1) against target 0 (2, 1, 4, 3): ranks (2.5, 1, 4, 2.5) vs (2, 1, 4, 3), ρ = 0.9487;
        // target 1 is its mirror (−0.9487), target 2 equals target 0.
        var errors = Assert.Single(references, r => r.Predictor == LdsStudyFigures.PlantedErrors);
        Assert.Equal(3, errors.Spearman.Count);
        Assert.Equal(0.9487 / 3, errors.Spearman.Mean, 3);
        // Without planted errors the count is 0 on every subset: no reference rather than an undefined one.
        Assert.DoesNotContain(LdsStudyFigures.References(["k"], subsets, [actual], [(LdsStudyFigures.PlantedErrors, new double[4])]),
            r => r.Predictor == LdsStudyFigures.PlantedErrors);
        var shared = Assert.Single(references, r => r.Predictor == LdsStudyFigures.SharedComponent);
        // Target 0 against the mean of targets 1 and 2: (5.5, 5.5, 5.5, 5.5) is constant, so undefined and left out;
        // target 1 against targets 0 and 2's mean (ρ = −1); target 2 against targets 0 and 1's mean (constant, left out).
        Assert.Equal((-1.0, 1), (shared.Spearman.Mean, shared.Spearman.Count));
        // A kind with one target has no other targets: no shared-component figure rather than an undefined (NaN) one.
        Assert.DoesNotContain(LdsStudyFigures.References(["k"], subsets, [actual.Select(a => new[] { a[0] }).ToArray()], []),
            r => r.Predictor == LdsStudyFigures.SharedComponent);
    }

    [Fact]
    public void TrakIsSplitIntoWhatMovesEveryTargetAndWhatSetsATargetApart()
    {
        // 3 training images, 4 subsets, one kind with 2 targets. Predicted sums per subset (target 0, target 1):
        // {0,1} → (3, 1), {1,2} → (5, 6), {0,2} → (4, −1), {2} → (3, 2); their means 2, 5.5, 1.5, 2.5 and target 0 less
        // the mean 1, −0.5, 2.5, 0.5 (target 1: the negatives, as there are two targets).
        float[][] scores = [[1, 2, 3], [-3, 4, 2]];
        int[][] subsets = [[0, 1], [1, 2], [0, 2], [2]];
        // Outputs built as mean ± deviation: means 2, 6, 1, 3 (the predicted means' order), target 0's deviations
        // −1, 2, −3, 0 (the reverse of the predicted deviations' order).
        double[][] actual = [[1, 3], [8, 4], [-2, 4], [3, 3]];
        var parts = LdsStudyFigures.Decomposition(["k"], [scores], subsets, [actual]);
        var shared = Assert.Single(parts, p => p.Predictor == LdsStudyFigures.TrakShared);
        Assert.Equal((1.0, 1), (Math.Round(shared.Spearman.Mean, 10), shared.Spearman.Count));
        var specific = Assert.Single(parts, p => p.Predictor == LdsStudyFigures.TrakSpecific);
        Assert.Equal((-1.0, 2), (Math.Round(specific.Spearman.Mean, 10), specific.Spearman.Count));
        // One target: nothing to split.
        Assert.Empty(LdsStudyFigures.Decomposition(["k"], [[scores[0]]], subsets, [actual.Select(a => new[] { a[0] }).ToArray()]));
    }
}
