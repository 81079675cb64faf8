using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Native;

public class TorchBackendsTests
{
    [Fact]
    public void NnpackAndOneDnnAreOffWhateverTheThreadCount()
    {
        try
        {
            TorchThreads.Configure(2);
            Assert.Equal((false, false), TorchBackends.State());
            TorchThreads.Configure(0);
            Assert.Equal((false, false), TorchBackends.State());
        }
        finally { TorchThreads.Configure(0); }
    }

    /// <summary>The reproduction of the non-finite gradients: training steps of a small DeepLabV3 on low-variance
    /// inputs with two threads. With oneDNN's multi-threaded convolutions on, 32 of 40 such seeded runs produced a
    /// non-finite gradient within 12 steps; this runs 10 of them through the project's thread configuration.</summary>
    [Fact]
    public void TwoThreadTrainingStepsGiveFiniteGradients()
    {
        try
        {
            TorchThreads.Configure(2);
            for (int run = 0; run < 10; run++)
            {
                using var scope = torch.NewDisposeScope();
                torch.manual_seed(run);
                var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 9);
                var optimizer = torch.optim.Adam(model.parameters(), lr: 2e-3);
                var x = torch.randn(8, 3, 32, 32) * 0.1f + 1.5f;
                var y = torch.zeros(8, 32, 32, dtype: ScalarType.Int64);
                for (int step = 0; step < 12; step++)
                {
                    using var inner = torch.NewDisposeScope();
                    optimizer.zero_grad();
                    nn.functional.cross_entropy(model.forward(x), y).backward();
                    foreach (var (name, p) in model.named_parameters())
                        Assert.True(p.grad!.isfinite().all().item<bool>(), $"non-finite gradient of {name}, run {run}, step {step}");
                    optimizer.step();
                }
            }
        }
        finally { TorchThreads.Configure(0); }
    }
}
