using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Benchmarks;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;

namespace AttributionExplorer.Precompute.Tests.Benchmarks;

public class TrakThroughputTests
{
    [Fact]
    public void MeasuresEveryStageWithItsBaselineOnATinyModel()
    {
        torch.manual_seed(3);
        using var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 4);
        var source = new SyntheticSegmentationSource(6, 4, 32, seed: 1);

        var figures = TrakThroughput.Measure(model, source, new BenchSettings(6, 5, 64, 4));

        using var structured = new KroneckerProjectedGradients(model, 64, 0);
        Assert.Equal(
            [TrakThroughput.Floor, TrakThroughput.Loop, TrakThroughput.Batched, $"{TrakThroughput.Projection} (p = {model.ParameterCount():N0} → k = 64)", TrakThroughput.ProjectionSrht,
             TrakThroughput.ProjectionCached, TrakThroughput.Featurize, TrakThroughput.FeaturizeLoop, TrakThroughput.FeaturizeSrhtLoop,
             TrakThroughput.FeaturizeSrhtBatched, $"{TrakThroughput.FeaturizeStructured}, k = {structured.ParameterCount}",
             "kernel: (ΦᵀΦ+λI)⁻¹Φᵀ", "score: Ψ·M (targets × train)", "baseline: managed dot-product scoring", "training epoch (train mode, Adam, flips)"],
            figures.Select(f => f.Name));
        Assert.All(TrakThroughput.ExactFeaturize, name => Assert.Contains(name, figures.Select(f => f.Name)));
        Assert.All(figures, f => Assert.True(f.Seconds > 0 && double.IsFinite(f.PerSecond) && f.CpuSeconds >= 0, f.Name));
        Assert.Equal(6, figures[0].Count);
        Assert.Equal(0, figures.Single(f => f.Name.StartsWith("score")).Count % 30);
    }

    [Fact]
    public void SyntheticSourceIsSeededAndShapedLikeARealOne()
    {
        var a = new SyntheticSegmentationSource(5, 3, 16, seed: 7);
        var b = new SyntheticSegmentationSource(5, 3, 16, seed: 7);
        var (xa, ya) = a.Load(1, 3);
        var (xb, yb) = b.Load(1, 3);
        Assert.Equal([3L, 3, 16, 16], xa.shape);
        Assert.Equal([3L, 16, 16], ya.shape);
        Assert.Equal(torch.ScalarType.Int64, ya.dtype);
        Assert.Equal(xa.data<float>().ToArray(), xb.data<float>().ToArray());
        Assert.Equal(ya.data<long>().ToArray(), yb.data<long>().ToArray());
        Assert.True(ya.min().item<long>() >= 0 && ya.max().item<long>() < 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Load(4, 2));
    }

    [Fact]
    public void DeviceNamesAreCheckedWithAClearMessage()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve(null).type);
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve(" CPU ").type);
        var bad = Assert.Throws<ArgumentException>(() => ComputeDevice.Resolve("tpu"));
        Assert.Contains("'tpu'", bad.Message);
        if (!torch.cuda.is_available())
            Assert.Contains("CUDA is not available to TorchSharp", Assert.Throws<InvalidOperationException>(() => ComputeDevice.Resolve("cuda")).Message);
    }
}
