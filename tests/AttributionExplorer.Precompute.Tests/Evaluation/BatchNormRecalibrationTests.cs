using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Evaluation;

public class BatchNormRecalibrationTests
{
    private sealed class FixedImages(Tensor images) : ISegmentationSource
    {
        public int Count => (int)images.shape[0];
        public IReadOnlyList<long> ImageIds => Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        public int NumClasses => 2;
        public (Tensor Images, Tensor Labels) Load(int start, int count) =>
            (images[start..(start + count)], torch.zeros([count, images.shape[2], images.shape[3]], ScalarType.Int64));
    }

    [Fact]
    public void RunningMeansBecomeTheMeanOverEveryImageAndTheModelIsLeftInEvalMode()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var bn = nn.BatchNorm2d(3);
        var conv = nn.Conv2d(3, 3, 1);
        var model = nn.Sequential(("conv", conv), ("bn", bn));
        var images = torch.randn(8, 3, 5, 5) * 2 + 1;
        // Stale statistics from "training" on other data.
        model.train();
        using (torch.no_grad()) model.forward(torch.randn(4, 3, 5, 5) * 10 - 7);

        BatchNormRecalibration.Recalibrate(model, new FixedImages(images), batchSize: 4);

        Tensor expected;
        using (torch.no_grad()) expected = conv.forward(images).mean([0, 2, 3]);
        Assert.True(bn.running_mean!.allclose(expected, rtol: 1e-5, atol: 1e-5), $"{bn.running_mean.str()} vs {expected.str()}");
        Assert.Equal(0.1, bn.momentum);
        Assert.False(bn.training);
        Assert.False(model.training);
    }
}
