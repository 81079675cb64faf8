using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Evaluations;
using TorchSharp;

namespace AttributionExplorer.Precompute.Tests.Evaluations;

public class EvaluationPiecesTests
{
    [Fact]
    public void TopSkipsUnrankedExamplesAndBreaksTiesByIndex()
    {
        Assert.Equal([3, 0, 1], EvaluationData.Top([0.5, 0.5, double.NaN, 0.9, 0.1], 3));
        Assert.Equal([1, 3], EvaluationData.Top([double.NaN, 2, double.NaN, 1], 10));
        Assert.Equal([0, 2, 4], SubsetTrainer.Without(5, [3, 1, 3]));
    }

    [Fact]
    public void LdsShiftsSimilarityScoresToZeroAtThePoolMinimumAndKeepsTrakAsItIs()
    {
        double[] scores = [-0.5, double.NaN, 0.25, -1.0];
        Assert.Equal([0.5, 0, 1.25, 0], LdsEvaluation.AdditiveScores(EvaluationData.Esvm, scores));
        Assert.Equal([-0.5, 0, 0.25, -1.0], LdsEvaluation.AdditiveScores(EvaluationData.Trak, scores));
    }

    [Fact]
    public void ClassBinaryLossIsTheMeanSoftplusOfTheNegatedClassLogOdds()
    {
        // One pixel of class 1, one of class 0, one ignored; 3 classes.
        var logits = torch.tensor(new float[] { 1, 0, 2, /* class 0 */ 2, 1, 0, /* 1 */ 0, 0, 3 /* 2 */ }, [1, 3, 1, 3]);
        var labels = torch.tensor(new long[] { 1, 0, 255 }, [1, 1, 3]);
        double LogOdds1(double z0, double z1, double z2) => z1 - Math.Log(Math.Exp(z0) + Math.Exp(z2));
        double Softplus(double x) => Math.Log(1 + Math.Exp(x));
        double pixel0 = LogOdds1(1, 2, 0), pixel1 = -LogOdds1(0, 1, 0);
        double expected = (Softplus(-pixel0) + Softplus(-pixel1)) / 2;
        Assert.Equal(expected, new ClassBinaryLoss(1).Compute(logits, labels).item<float>(), 5);
        // The loss and the class output are two views of the same margins: f = mean x, loss = mean softplus(−x).
        Assert.Equal((pixel0 + pixel1) / 2, new ClassLogOddsOutput(1).Compute(logits, labels).item<float>(), 5);
    }

    [Fact]
    public void SoftMinimumWeightsTheLeastConfidentPixelsAndIgnoresIgnoredOnes()
    {
        // Probabilities of the annotated class: 0.9 (pixel 0, class 0) and 0.2 (pixel 1, class 1); pixel 2 ignored.
        var probabilities = torch.tensor(new float[] { 0.9f, 0.8f, 0.1f, /* class 1 */ 0.1f, 0.2f, 0.9f }, [1, 2, 1, 3]);
        var labels = torch.tensor(new long[] { 0, 1, 255 }, [1, 1, 3]);
        double T = 0.1, w0 = Math.Exp(0.1 / T), w1 = Math.Exp(0.8 / T);
        double expected = (0.9 * w0 + 0.2 * w1) / (w0 + w1);
        Assert.Equal(expected, LabelQualityScorer.SoftMinimum(probabilities, labels, T), 6);
        Assert.True(expected < 0.25); // close to the minimum, unlike the mean 0.55
        Assert.Equal(1, LabelQualityScorer.SoftMinimum(probabilities, torch.full([1, 1, 3], 255L), T));
    }

    /// <summary>The managed soft-minimum equals the tensor formula it replaced (gather the annotated class, drop ignored
    /// pixels, Σ p·softmax((1 − p)/T)) on random predictions of several classes.</summary>
    [Fact]
    public void SoftMinimumEqualsTheTensorFormulaOnRandomPredictions()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            int classes = random.Next(2, 6), height = random.Next(1, 9), width = random.Next(1, 9);
            var logits = torch.tensor(Enumerable.Range(0, classes * height * width).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray(), [1, classes, height, width]);
            var probabilities = torch.nn.functional.softmax(logits, 1);
            var labels = torch.tensor(Enumerable.Range(0, height * width).Select(_ => random.Next(4) == 0 ? 255L : random.Next(classes)).ToArray(), [1, height, width]);
            double T = 0.05 + random.NextDouble() * 0.5;

            var y = labels.reshape(-1);
            var valid = y.ne(255);
            double expected = 1;
            if (valid.any().item<bool>())
            {
                var p = probabilities[0].reshape(classes, -1).t().gather(1, torch.where(valid, y, torch.zeros_like(y)).unsqueeze(1)).squeeze(1)
                    .masked_select(valid).to(torch.ScalarType.Float64);
                expected = (p * torch.nn.functional.softmax((1 - p) / T, 0)).sum().item<double>();
            }
            Assert.Equal(expected, LabelQualityScorer.SoftMinimum(probabilities, labels, T), 12);
        }
    }
}
