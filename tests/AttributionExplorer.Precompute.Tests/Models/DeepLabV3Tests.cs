using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Models;

public class DeepLabV3Tests
{
    private static readonly ModelOptions Small = new() { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16, AsppRates = [1, 2, 4] };

    [Fact]
    public void OutputHasInputResolutionAndBackboneHasOutputStride8()
    {
        using var scope = torch.NewDisposeScope();
        var model = DeepLabV3.Create(Small, 5);
        model.eval();
        var x = torch.randn(2, 3, 32, 32);
        Assert.Equal(new long[] { 2, 5, 32, 32 }, model.forward(x).shape);
        Assert.Equal(new long[] { 2, 32, 4, 4 }, model.Features(x).shape);
    }

    [Fact]
    public void SameSeedGivesIdenticalParameters()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var a = DeepLabV3.Create(Small, 4);
        torch.manual_seed(3);
        var b = DeepLabV3.Create(Small, 4);
        torch.manual_seed(4);
        var c = DeepLabV3.Create(Small, 4);
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        Assert.All(pa.Zip(pb), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
        Assert.Contains(pa.Zip(c.parameters()), pair => !pair.First.equal(pair.Second).all().item<bool>());
    }
}
