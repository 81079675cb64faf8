using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Training;

public class TorchThreadsTests
{
    /// <summary>The default is one intra-op thread, and training through it on low-variance inputs (where 2-thread
    /// backward failed most) yields finite parameters.</summary>
    [Fact]
    public void GradientsStayFiniteOnLowVarianceInputsWithTheDefaultThreading()
    {
        TorchThreads.Configure(0);
        Assert.Equal(1, torch.get_num_threads());
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 9);
        var x = torch.randn(8, 3, 32, 32) * 0.1f + 1.5f;
        var y = torch.zeros(8, 32, 32, dtype: ScalarType.Int64);
        var source = new ConstantSource(x, y);
        var result = SegmentationTrainer.Train(model, source, new TrainingOptions { Epochs = 3, BatchSize = 4, LearningRate = 2e-3 }, seed: 0);
        Assert.All(result.EpochLosses, l => Assert.True(double.IsFinite(l)));
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.isfinite().all().item<bool>(), $"non-finite parameter {name}");
    }

    private sealed class ConstantSource(Tensor x, Tensor y) : AttributionExplorer.Precompute.Data.ISegmentationSource
    {
        public int Count => (int)x.shape[0];
        public IReadOnlyList<long> ImageIds => Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        public int NumClasses => 9;
        public (Tensor Images, Tensor Labels) Load(int start, int count) => (x[start..(start + count)].clone(), y[start..(start + count)].clone());
    }
}
