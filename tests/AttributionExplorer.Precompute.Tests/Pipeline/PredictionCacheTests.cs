using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

public class PredictionCacheTests
{
    private const int Classes = 3, Size = 4, Count = 5;
    private static readonly DatasetInfo Dataset = new(1, "d", "/images", "test", DateTime.UnixEpoch, "v1");
    private static CheckpointRecord Checkpoint(long id) => new(id, 1, 0, $"c{id}.bin", 0.5, "{}", 1, DateTime.UnixEpoch, RunId: id);

    [Fact]
    public void Keeps_a_checkpoints_predictions_once_and_they_equal_a_fresh_forward_pass()
    {
        torch.manual_seed(3);
        using var model = nn.Conv2d(3, Classes, 1);
        var source = new RandomSource();
        using var cache = new PredictionCache();
        int loads = 0;
        nn.Module<Tensor, Tensor> Load() { loads++; return model; }

        var first = cache.Of(Checkpoint(7), Dataset, Splits.Train, Size, source, Load);
        var again = cache.Of(Checkpoint(7), Dataset, Splits.Train, Size, source, Load);

        Assert.IsType<KeptPredictions>(first);
        Assert.Same(first, again);
        Assert.Equal(1, loads);
        Assert.Equal(Count * Classes * Size * Size * sizeof(float), cache.KeptBytes);
        using var scope = torch.NewDisposeScope();
        var (images, _) = source.Load(1, 3);
        var expected = nn.functional.log_softmax(model.forward(images), 1);
        Assert.True(expected.allclose(first.LogProbabilities(1, 3), rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Streams_what_does_not_fit_the_budget_and_keeps_other_checkpoints_apart()
    {
        torch.manual_seed(4);
        using var a = nn.Conv2d(3, Classes, 1);
        using var b = nn.Conv2d(3, Classes, 1);
        var source = new RandomSource();
        long oneModel = Count * Classes * Size * Size * sizeof(float);
        using var cache = new PredictionCache(budgetBytes: oneModel);

        var kept = cache.Of(Checkpoint(1), Dataset, Splits.Train, Size, source, () => a);
        var streamed = cache.Of(Checkpoint(2), Dataset, Splits.Train, Size, source, () => b);

        Assert.IsType<KeptPredictions>(kept);
        Assert.IsType<StreamedPredictions>(streamed);
        using var scope = torch.NewDisposeScope();
        Assert.False(kept.LogProbabilities(0, Count).allclose(streamed.LogProbabilities(0, Count)));
        var (images, _) = source.Load(0, Count);
        Assert.True(nn.functional.log_softmax(b.forward(images), 1).allclose(streamed.LogProbabilities(0, Count), rtol: 1e-6, atol: 1e-6));
    }

    /// <summary>Fixed random images (the same tensors on every load), labels all 0.</summary>
    private sealed class RandomSource : ISegmentationSource
    {
        private readonly float[] pixels = Enumerable.Range(0, PredictionCacheTests.Count * 3 * Size * Size).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        public int Count => PredictionCacheTests.Count;
        public IReadOnlyList<long> ImageIds => Enumerable.Range(1, Count).Select(i => (long)i).ToList();
        public int NumClasses => Classes;

        public (Tensor Images, Tensor Labels) Load(int start, int count) =>
            (torch.tensor(pixels[(start * 3 * Size * Size)..((start + count) * 3 * Size * Size)], [count, 3, Size, Size]),
             torch.zeros([count, Size, Size], ScalarType.Int64));
    }
}
