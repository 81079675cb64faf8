using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Outputs;

/// <summary>The restricted class target on a 2×2 image with 3 classes, against the softmax computed by hand.</summary>
public class ClassRestrictedLogOddsOutputTests
{
    private static readonly double[][] PerPixel = [[1, 0, 0], [0, 2, 0], [0, 0, 3], [5, 5, 5]];
    private static readonly long[] LabelValues = [0, 2, 2, 255];

    private static double Softmax(double[] z, int c) => Math.Exp(z[c]) / z.Sum(Math.Exp);
    private static double LogOdds(double q) => Math.Log(q / (1 - q));

    [Theory]
    [InlineData(2, new[] { true, true, true, true })]   // the whole image: the seed's class target
    [InlineData(2, new[] { false, true, true, false })]  // the pixels labelled 2
    [InlineData(2, new[] { true, false, false, true })]  // pixels not labelled 2 (and an ignored one)
    [InlineData(1, new[] { false, true, false, false })]
    public void MeanOfTheSignedClassLogOddsOverTheMasksNonIgnoredPixels(int c, bool[] mask)
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.zeros(1, 3, 2, 2);
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < 3; j++) logits[0, j, p / 2, p % 2] = (float)PerPixel[p][j];
        var labels = torch.tensor(LabelValues, [1, 2, 2]);
        using var output = new ClassRestrictedLogOddsOutput(c, torch.tensor(mask, [2, 2]));

        double sum = 0;
        int count = 0;
        for (int p = 0; p < 4; p++)
        {
            if (!mask[p] || LabelValues[p] == 255) continue;
            double logOddsOfC = LogOdds(Softmax(PerPixel[p], c));
            sum += LabelValues[p] == c ? logOddsOfC : -logOddsOfC;
            count++;
        }
        Assert.Equal(sum / count, output.Compute(logits, labels).item<float>(), 4);
    }

    [Fact]
    public void AnEmptyMaskIsRejected() =>
        Assert.Throws<ArgumentException>(() => new ClassRestrictedLogOddsOutput(1, torch.zeros(2, 2, dtype: ScalarType.Bool)));
}
