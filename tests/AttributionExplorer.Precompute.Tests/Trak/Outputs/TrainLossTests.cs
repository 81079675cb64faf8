using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Outputs;

public class TrainLossTests
{
    /// <summary>The oracle is the per-example loop: Σᵢ mean cross-entropy of example i alone, ignored pixels left out.</summary>
    [Fact]
    public void TheBatchedSumEqualsTheSumOfEachExamplesOwnLossAndItsGradient()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var logits = torch.randn(4, 3, 6, 7, dtype: ScalarType.Float64, requires_grad: true);
        var labels = torch.randint(0, 3, [4, 6, 7]);
        labels[1, 0, ..] = torch.tensor(PixelLogOdds.IgnoreIndex);
        labels[2, .., 2..5] = torch.tensor(PixelLogOdds.IgnoreIndex);

        var batched = TrainLoss.SumOverExamples(logits, labels);
        var loop = Enumerable.Range(0, 4).Select(i => TrainLoss.Instance.Compute(logits[i..(i + 1)], labels[i..(i + 1)])).Aggregate((a, b) => a + b);
        Assert.Equal(loop.item<double>(), batched.item<double>(), 10);
        var gradBatched = torch.autograd.grad([batched], [logits])[0];
        var gradLoop = torch.autograd.grad([loop], [logits])[0];
        Assert.True(gradBatched.allclose(gradLoop, rtol: 1e-10, atol: 1e-12));
    }

    [Fact]
    public void AnExampleWithEveryPixelIgnoredIsNaNAsItsOwnMeanIs()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn(2, 3, 2, 2);
        var labels = torch.full([2, 2, 2], PixelLogOdds.IgnoreIndex, dtype: ScalarType.Int64);
        labels[0] = torch.zeros(2, 2, dtype: ScalarType.Int64);
        Assert.True(float.IsNaN(TrainLoss.Instance.Compute(logits[1..2], labels[1..2]).item<float>()));
        Assert.True(float.IsNaN(TrainLoss.SumOverExamples(logits, labels).item<float>()));
    }
}
