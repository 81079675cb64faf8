using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Training;

public class TorchThreadsTests
{
    /// <summary>Low-variance inputs made 2-thread conv backward return NaN gradients here; the configured default must not.</summary>
    [Fact]
    public void GradientsStayFiniteOnLowVarianceInputsWithTheDefaultThreading()
    {
        TorchThreads.Configure(0);
        Assert.Equal(1, torch.get_num_threads());
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 9);
        var optimizer = torch.optim.Adam(model.parameters(), lr: 2e-3);
        var x = torch.randn(8, 3, 32, 32) * 0.1f + 1.5f;
        var y = torch.zeros(8, 32, 32, dtype: ScalarType.Int64);
        for (int step = 0; step < 4; step++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            foreach (var (name, p) in model.named_parameters())
                Assert.False(p.grad!.isnan().any().item<bool>(), $"NaN gradient in {name} at step {step}");
            optimizer.step();
        }
    }
}
