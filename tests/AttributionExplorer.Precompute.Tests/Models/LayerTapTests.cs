using AttributionExplorer.Precompute.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Models;

public class LayerTapTests
{
    /// <summary>The models run their Sequentials through LayerTap.Sequence; it must compute what Sequential.forward does
    /// (order-sensitive layers: BatchNorm with running statistics, non-linearities, non-commuting convolutions).</summary>
    [Fact]
    public void SequenceEqualsSequentialForward()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var sequence = nn.Sequential(("conv", nn.Conv2d(3, 4, 3, padding: 1)), ("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()),
            ("b", nn.Conv2d(4, 4, 1)), ("tanh", nn.Tanh()), ("a", nn.Conv2d(4, 4, 1)));
        sequence.eval();
        using (torch.no_grad()) sequence.modules().OfType<TorchSharp.Modules.BatchNorm2d>().Single().running_mean!.normal_(0, 1);
        var x = torch.randn(2, 3, 5, 5);

        Assert.True(sequence.forward(x).allclose(LayerTap.Sequence(sequence, x)));
    }

    [Fact]
    public void ARecordingKeepsEachParametrisedLayerCallAndOnlyThose()
    {
        using var scope = torch.NewDisposeScope();
        var sequence = nn.Sequential(("conv", nn.Conv2d(3, 4, 3, padding: 1)), ("relu", nn.ReLU()), ("bn", nn.BatchNorm2d(4)));
        sequence.eval();
        var x = torch.randn(2, 3, 5, 5);
        using var recording = new LayerRecording();

        var y = LayerTap.Sequence(sequence, x);

        Assert.Equal(["Conv2d", "BatchNorm2d"], recording.Layers.Select(l => l.Layer.GetType().Name));
        Assert.True(recording.Layers[0].Input.allclose(x, rtol: 0, atol: 0));
        Assert.True(recording.Layers[1].Output.allclose(y, rtol: 0, atol: 0));
    }
}
