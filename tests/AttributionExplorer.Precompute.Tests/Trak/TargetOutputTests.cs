using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

/// <summary>Target outputs on a 2×2 image with 3 classes, against values computed by hand from the softmax.</summary>
public class TargetOutputTests
{
    // Logits per pixel (row-major): (1,0,0) (0,2,0) (0,0,3) (5,5,5); labels 0, 0, 2 and an ignored pixel.
    private static readonly double[][] PerPixel = [[1, 0, 0], [0, 2, 0], [0, 0, 3], [5, 5, 5]];
    private static readonly long[] LabelValues = [0, 0, 2, 255];

    private static (Tensor Logits, Tensor Labels) Example()
    {
        var logits = torch.zeros(1, 3, 2, 2);
        for (int p = 0; p < 4; p++)
        for (int c = 0; c < 3; c++) logits[0, c, p / 2, p % 2] = (float)PerPixel[p][c];
        return (logits, torch.tensor(LabelValues, [1, 2, 2]));
    }

    private static double Softmax(double[] z, int c) => Math.Exp(z[c]) / z.Sum(Math.Exp);
    private static double LogOdds(double q) => Math.Log(q / (1 - q));

    [Fact]
    public void ClassLogOddsTreatsEveryPixelAsTheBinaryTaskIsC()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        foreach (int c in new[] { 0, 1, 2 })
        {
            double expected = Enumerable.Range(0, 3).Average(p =>
            {
                double pc = Softmax(PerPixel[p], c);
                return LogOdds(LabelValues[p] == c ? pc : 1 - pc);
            });
            Assert.Equal(expected, new ClassLogOddsOutput(c).Compute(logits, labels).item<float>(), 5);
        }
    }

    [Fact]
    public void ClassLogOddsRejectsAClassTheModelDoesNotHave()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        Assert.Throws<ArgumentException>(() => new ClassLogOddsOutput(3).Compute(logits, labels));
    }

    [Fact]
    public void MaskedLogOddsAveragesOnlyMaskedNonIgnoredPixels()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        // Mask covers pixels 1, 2 and the ignored pixel 3.
        using var output = new MaskedLogOddsOutput(torch.tensor(new[] { false, true, true, true }, [2, 2]));
        double expected = (LogOdds(Softmax(PerPixel[1], 0)) + LogOdds(Softmax(PerPixel[2], 2))) / 2;
        Assert.Equal(expected, output.Compute(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void ObjectTargetCoveringTheWholeImageEqualsTheFullImageTargetIncludingItsGradient()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        var leaf = logits.detach().requires_grad_(true);
        using var whole = new MaskedLogOddsOutput(torch.ones(2, 2, dtype: ScalarType.Bool));
        var masked = whole.Compute(leaf, labels);
        var full = FullImageLogOddsOutput.Instance.Compute(leaf, labels);
        Assert.Equal(full.item<float>(), masked.item<float>(), 6);
        var gradMasked = torch.autograd.grad([masked], [leaf])[0];
        var gradFull = torch.autograd.grad([full], [leaf])[0];
        Assert.True(gradMasked.allclose(gradFull, 1e-6, 1e-7));
    }

    [Fact]
    public void MaskedLogOddsRejectsEmptyOrMismatchedMasks()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        Assert.Throws<ArgumentException>(() => new MaskedLogOddsOutput(torch.zeros(2, 2, dtype: ScalarType.Bool)));
        using var wrongSize = new MaskedLogOddsOutput(torch.ones(3, 3, dtype: ScalarType.Bool));
        Assert.Throws<ArgumentException>(() => wrongSize.Compute(logits, labels));
    }

    [Fact]
    public void TrainLossIsMeanCrossEntropyOverNonIgnoredPixels()
    {
        using var scope = torch.NewDisposeScope();
        var (logits, labels) = Example();
        double expected = Enumerable.Range(0, 3).Average(p => -Math.Log(Softmax(PerPixel[p], (int)LabelValues[p])));
        Assert.Equal(expected, TrainLoss.Instance.Compute(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void LogOddsStaysFiniteForExtremeLogits()
    {
        using var scope = torch.NewDisposeScope();
        // p is 1 − e^-200 in float32: the naive log(p/(1−p)) is inf; z_y − logsumexp of the others is 200 − log 2.
        var logits = torch.tensor(new float[] { 200, 0, 0 }, [1, 3, 1, 1]);
        var labels = torch.tensor(new long[] { 0 }, [1, 1, 1]);
        Assert.Equal(200 - Math.Log(2), FullImageLogOddsOutput.Instance.Compute(logits, labels).item<float>(), 3);
    }
}
