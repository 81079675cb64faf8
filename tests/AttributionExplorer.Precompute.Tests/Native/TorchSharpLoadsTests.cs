using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Native;

public class TorchSharpLoadsTests
{
    [Fact]
    public void TinyConvNetTrainsOnCpu()
    {
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        var net = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(4, 2, 1));
        var opt = optim.Adam(net.parameters(), lr: 0.05);
        // Pixels brighter than 0.5 are class 1: a task a 2-layer conv net learns in a few steps.
        var x = torch.rand(8, 1, 8, 8);
        var y = (x.squeeze(1) > 0.5).to(ScalarType.Int64);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var inner = torch.NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(net.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.5f, $"loss went from {first} to {last}");
    }
}
