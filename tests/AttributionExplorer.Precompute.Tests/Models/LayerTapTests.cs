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

    /// <summary>Side filters run in the layer's own convolution: the layer's output is what it computes alone (with its
    /// bias, stride, padding and dilation), the side output is the input convolved with the side filters alone, and
    /// gradients still reach the layer's output.</summary>
    [Fact]
    public void SideFiltersGiveTheLayersOwnOutputAndTheInputConvolvedWithThem()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var conv = nn.Conv2d(3, 5, 3, stride: 2, padding: 2, dilation: 2);
        var plain = nn.Conv2d(2, 4, 1, bias: false);
        var x = torch.randn(2, 3, 9, 9, requires_grad: true);
        var side = torch.randn(3, 3, 3, 3);
        var expected = conv.forward(x);
        using var recording = new LayerRecording(c => ReferenceEquals(c, conv) ? side : null);

        var y = LayerTap.Run(conv, x);
        var z = LayerTap.Run(plain, torch.randn(2, 2, 4, 4));

        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        var sideOutput = recording.Layers[0].Side!;
        Assert.True(sideOutput.allclose(nn.functional.conv2d(x, side, null, [2, 2], [2, 2], [2, 2]), rtol: 1e-5, atol: 1e-6));
        Assert.False(sideOutput.requires_grad);
        Assert.Null(recording.Layers[1].Side);
        var gradient = torch.autograd.grad([y.sum()], [recording.Layers[0].Output])[0];
        Assert.True(gradient.allclose(torch.ones_like(y)));
    }
}
