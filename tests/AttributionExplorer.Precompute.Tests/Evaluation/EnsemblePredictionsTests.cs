using AttributionExplorer.Precompute.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Evaluation;

public class EnsemblePredictionsTests
{
    private sealed class FixedPredictions(float[] probabilities, long[] shape) : IModelPredictions
    {
        public int Count => (int)shape[0];
        public Tensor LogProbabilities(int start, int count) => torch.tensor(probabilities, shape).log().narrow(0, start, count);
    }

    [Fact]
    public void TheMeanIsTheMembersProbabilitiesAveragedPixelByPixel()
    {
        using var scope = torch.NewDisposeScope();
        long[] shape = [2, 2, 1, 2]; // 2 examples, 2 classes, 1×2 pixels
        var a = new FixedPredictions([0.9f, 0.2f, 0.1f, 0.8f, 0.5f, 0.5f, 0.5f, 0.5f], shape);
        var b = new FixedPredictions([0.3f, 0.6f, 0.7f, 0.4f, 0.1f, 0.9f, 0.9f, 0.1f], shape);
        var c = new FixedPredictions([0.6f, 0.1f, 0.4f, 0.9f, 0.2f, 0.3f, 0.8f, 0.7f], shape);

        var mean = EnsemblePredictions.MeanProbabilities([a, b, c], start: 1, count: 1);

        Assert.Equal([1L, 2, 1, 2], mean.shape);
        float[] expected = [(0.5f + 0.1f + 0.2f) / 3, (0.5f + 0.9f + 0.3f) / 3, (0.5f + 0.9f + 0.8f) / 3, (0.5f + 0.1f + 0.7f) / 3];
        var actual = mean.data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
        // One member: its own probabilities.
        Assert.Equal([0.9f, 0.2f, 0.1f, 0.8f], EnsemblePredictions.MeanProbabilities([a], 0, 1).data<float>().ToArray().Select(v => MathF.Round(v, 5)));
        Assert.Throws<ArgumentException>(() => EnsemblePredictions.MeanProbabilities([], 0, 1));
    }
}
