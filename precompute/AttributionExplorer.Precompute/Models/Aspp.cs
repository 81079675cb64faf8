using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Models;

/// <summary>Atrous spatial pyramid pooling: a 1×1 branch, one 3×3 branch per rate, and an image-pooling branch.</summary>
internal sealed class Aspp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Sequential> branches = new();
    private readonly Sequential pooling;
    private readonly Sequential project;

    public Aspp(int inChannels, int outChannels, int[] rates) : base(nameof(Aspp))
    {
        branches.Add(ConvBnRelu(inChannels, outChannels, 1, 1));
        foreach (int rate in rates.Where(r => r > 1)) branches.Add(ConvBnRelu(inChannels, outChannels, 3, rate));
        // BatchNorm on a 1×1 pooled map breaks with batch size 1 in training mode, so the pooling branch has none.
        pooling = nn.Sequential(("pool", nn.AdaptiveAvgPool2d(1)), ("conv", nn.Conv2d(inChannels, outChannels, 1)), ("relu", nn.ReLU()));
        project = nn.Sequential(
            ("conv", nn.Conv2d(outChannels * (branches.Count + 1), outChannels, 1, bias: false)),
            ("bn", nn.BatchNorm2d(outChannels)), ("relu", nn.ReLU()), ("dropout", nn.Dropout(0.1)));
        RegisterComponents();
    }

    private static Sequential ConvBnRelu(int inChannels, int outChannels, int kernel, int dilation) => nn.Sequential(
        ("conv", nn.Conv2d(inChannels, outChannels, kernel, padding: kernel == 1 ? 0 : dilation, dilation: dilation, bias: false)),
        ("bn", nn.BatchNorm2d(outChannels)), ("relu", nn.ReLU()));

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var outputs = branches.Select(b => LayerTap.Sequence(b, x)).ToList();
        var pooled = LayerTap.Sequence(pooling, x).expand(-1, -1, x.shape[2], x.shape[3]);
        outputs.Add(pooled);
        return LayerTap.Sequence(project, torch.cat(outputs, 1)).MoveToOuterDisposeScope();
    }
}
