using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Precompute.Trak.Targets.Kinds;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassAllPixels;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassLabelledPixels;
using AttributionExplorer.Precompute.Trak.Targets.Kinds.ClassPredictedPixels;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Targets.Kinds;

/// <summary>The class-target variants planned on a 2×2 held-out image with 3 classes and evaluated on fixed logits,
/// against the binary task's log-odds averaged by hand over the pixels each variant names.</summary>
public class ClassTargetVariantsTests
{
    // Pixels (row-major): logits per class, label, and two checkpoints' predicted labels.
    private static readonly double[][] PerPixel = [[1, 0, 0], [0, 2, 0], [0, 0, 3], [0, 1, 4]];
    private static readonly byte[] Labels = [0, 2, 2, 1];
    private static readonly byte[][] Predictions = [[0, 2, 2, 2], [2, 1, 2, 1]];
    private static readonly Category[] Categories = [new(5, "a", null, 1), new(9, "b", null, 2)];

    private static double Softmax(double[] z, int c) => Math.Exp(z[c]) / z.Sum(Math.Exp);

    /// <summary>log(q/(1−q)) of the binary task "is it c" at pixel p, q = probability of the correct answer.</summary>
    private static double BinaryLogOdds(int p, int c)
    {
        double pc = Softmax(PerPixel[p], c);
        double q = Labels[p] == c ? pc : 1 - pc;
        return Math.Log(q / (1 - q));
    }

    private static TargetPlan Plan(ITargetKind kind)
    {
        var source = new InMemorySegmentationSource([new SegmentationExample(7, "unused.png", Labels)], 3, 2);
        return TargetPlanner.Plan(source, Categories, _ => throw new InvalidOperationException("no image needed"), _ => [], [kind],
            _ => Predictions);
    }

    private static double Evaluate(PlannedTarget target)
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.zeros(1, 3, 2, 2);
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < 3; j++) logits[0, j, p / 2, p % 2] = (float)PerPixel[p][j];
        return target.Output.Compute(logits, torch.tensor(Labels.Select(l => (long)l).ToArray(), [1, 2, 2])).item<float>();
    }

    private static void AssertTargets(TargetPlan plan, string kind, params (int CocoId, int[] Pixels, int ModelClass)[] expected)
    {
        Assert.Equal(expected.Select(e => new NewTarget(7, kind, e.CocoId, null)), plan.Targets.Select(t => t.Target));
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i].Pixels.Average(p => BinaryLogOdds(p, expected[i].ModelClass)), Evaluate(plan.Targets[i]), 4);
    }

    [Fact]
    public void AllPixelsAveragesTheBinaryTaskOverEveryPixel()
    {
        using var plan = Plan(new ClassAllPixelsTargetKind());
        AssertTargets(plan, TargetKinds.ClassAllPixels, (5, [0, 1, 2, 3], 1), (9, [0, 1, 2, 3], 2));
    }

    [Fact]
    public void LabelledPixelsAveragesOverThePixelsLabelledAsTheClass()
    {
        using var plan = Plan(new ClassLabelledPixelsTargetKind());
        AssertTargets(plan, TargetKinds.ClassLabelledPixels, (5, [3], 1), (9, [1, 2], 2));
    }

    [Fact]
    public void PredictedPixelsAveragesOverThePixelsAtLeastHalfOfTheCheckpointsPredict()
    {
        // Class 1: predicted at pixels 1 (second checkpoint) and 3 (second); class 2: pixels 0, 1, 2, 3 (one vote or two each).
        using var plan = Plan(new ClassPredictedPixelsTargetKind());
        AssertTargets(plan, TargetKinds.ClassPredictedPixels, (5, [1, 3], 1), (9, [0, 1, 2, 3], 2));
    }

    [Fact]
    public void AClassTheEnsembleNeverPredictsGetsNoPredictedTarget()
    {
        var source = new InMemorySegmentationSource([new SegmentationExample(7, "unused.png", Labels)], 3, 2);
        using var plan = TargetPlanner.Plan(source, Categories, _ => throw new InvalidOperationException(), _ => [],
            [new ClassPredictedPixelsTargetKind()], _ => [[0, 0, 2, 2], [0, 0, 0, 2]]);
        Assert.Equal(new NewTarget(7, TargetKinds.ClassPredictedPixels, 9, null), Assert.Single(plan.Targets).Target);
        Assert.Equal(1, plan.SkippedObjects);
    }

    [Fact]
    public void PredictedPixelsWithoutPredictionsSayWhatIsMissing()
    {
        var source = new InMemorySegmentationSource([new SegmentationExample(7, "unused.png", Labels)], 3, 2);
        var error = Assert.Throws<InvalidOperationException>(() =>
            TargetPlanner.Plan(source, Categories, _ => throw new InvalidOperationException(), _ => [], [new ClassPredictedPixelsTargetKind()]));
        Assert.Contains("held-out image 7", error.Message);
    }

    [Fact]
    public void TheClassKindFilesItsVariantsTargetsUnderClass()
    {
        using var variant = Plan(new ClassLabelledPixelsTargetKind());
        using var plan = Plan(new ClassTargetKind(new ClassLabelledPixelsTargetKind()));
        Assert.Equal(variant.Targets.Select(t => t.Target with { Kind = TargetKinds.Class }), plan.Targets.Select(t => t.Target));
        Assert.Equal(variant.Targets.Select(Evaluate), plan.Targets.Select(Evaluate));
    }

    [Fact]
    public void TheClassKindFallsBackForAClassItsVariantLeavesOut()
    {
        // The checkpoints predict class 2 (coco 9) at pixels 2, 3 and class 1 (coco 5) nowhere: coco 5 gets its labelled pixels.
        var source = new InMemorySegmentationSource([new SegmentationExample(7, "unused.png", Labels)], 3, 2);
        using var plan = TargetPlanner.Plan(source, Categories, _ => throw new InvalidOperationException(), _ => [],
            [new ClassTargetKind(new ClassPredictedPixelsTargetKind(), new ClassLabelledPixelsTargetKind())], _ => [[0, 0, 2, 2], [0, 0, 2, 2]]);
        Assert.Equal([new NewTarget(7, TargetKinds.Class, 5, null), new NewTarget(7, TargetKinds.Class, 9, null)], plan.Targets.Select(t => t.Target));
        Assert.Equal(BinaryLogOdds(3, 1), Evaluate(plan.Targets[0]), 4);
        Assert.Equal((BinaryLogOdds(2, 2) + BinaryLogOdds(3, 2)) / 2, Evaluate(plan.Targets[1]), 4);
        Assert.Equal(0, plan.SkippedObjects);
    }
}
