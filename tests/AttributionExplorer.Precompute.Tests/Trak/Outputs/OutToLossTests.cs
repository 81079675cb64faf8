using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;
using AttributionExplorer.Precompute.Tests.Trak;

namespace AttributionExplorer.Precompute.Tests.Trak.Outputs;

public class OutToLossTests
{

    /// <summary>On logistic regression (logits 0 and u = wᵀx + b) Q is 1 − σ(u) for label 1 and σ(u) for label 0,
    /// the textbook ∂loss/∂margin; batches of 4 over 10 examples also cover a partial last batch.</summary>
    [Fact]
    public void QIsOneMinusTheProbabilityOfTheLabelledClass()
    {
        using var scope = torch.NewDisposeScope();
        var (x, y) = LogisticData.Make(10, 3, seed: 7);
        double[] w = [0.9, -0.4, 0.2];
        var model = new LogisticSegmenter(w, 0.1);
        var q = OutToLoss.Compute(model, new LogisticSource(x, y), batchSize: 4);
        for (int i = 0; i < x.Length; i++)
        {
            double u = w.Zip(x[i]).Sum(p => p.First * p.Second) + 0.1;
            double expected = y[i] == 1 ? 1 - LogisticData.Sigmoid(u) : LogisticData.Sigmoid(u);
            Assert.Equal(expected, q[i], 6);
        }
    }
}
