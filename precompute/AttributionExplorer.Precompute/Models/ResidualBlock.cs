using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Models;

/// <summary>Basic residual block (two 3×3 convs) with optional stride and dilation; 1×1 projection when shapes change.</summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? shortcut;

    public ResidualBlock(int inChannels, int outChannels, int stride, int dilation) : base(nameof(ResidualBlock))
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: dilation, dilation: dilation, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            shortcut = nn.Sequential(("conv", nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)),
                ("bn", nn.BatchNorm2d(outChannels)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = nn.functional.relu(LayerTap.Run(bn1, LayerTap.Run(conv1, x)));
        y = LayerTap.Run(bn2, LayerTap.Run(conv2, y));
        var identity = shortcut is null ? x : LayerTap.Sequence(shortcut, x);
        return nn.functional.relu(y + identity).MoveToOuterDisposeScope();
    }
}
