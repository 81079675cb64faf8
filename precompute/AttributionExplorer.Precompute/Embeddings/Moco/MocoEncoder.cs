using AttributionExplorer.Precompute.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Embeddings.Moco;

/// <summary>Small ResNet backbone (stem + 4 residual stages, widths W, W, 2W, 4W, 8W, global average pool) and the MoCo v2
/// projection head (Linear–ReLU–Linear). <see cref="Features"/> are the pooled backbone features (what ESVM and
/// similarity use); <see cref="forward"/> returns the head's projection.</summary>
public sealed class MocoEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential backbone;
    private readonly Sequential head;

    public MocoEncoder(int width, int hiddenDim, int embeddingDim) : base(nameof(MocoEncoder))
    {
        backbone = nn.Sequential(
            ("stem", nn.Conv2d(3, width, 3, padding: 1, bias: false)), ("stem_bn", nn.BatchNorm2d(width)), ("stem_relu", nn.ReLU()),
            ("stage1", new ResidualBlock(width, width, 1, 1)),
            ("stage2", new ResidualBlock(width, 2 * width, 2, 1)),
            ("stage3", new ResidualBlock(2 * width, 4 * width, 2, 1)),
            ("stage4", new ResidualBlock(4 * width, 8 * width, 2, 1)),
            ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()));
        head = nn.Sequential(("fc1", nn.Linear(8 * width, hiddenDim)), ("relu", nn.ReLU()), ("fc2", nn.Linear(hiddenDim, embeddingDim)));
        FeatureDim = 8 * width;
        RegisterComponents();
    }

    public int FeatureDim { get; }

    public Tensor Features(Tensor images) => backbone.forward(images);

    public override Tensor forward(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        return head.forward(backbone.forward(images)).MoveToOuterDisposeScope();
    }
}
