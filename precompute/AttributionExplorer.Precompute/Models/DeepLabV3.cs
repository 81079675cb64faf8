using AttributionExplorer.Core.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Models;

/// <summary>DeepLabV3-style segmentation network: residual backbone with output stride 8 (the last stage dilates
/// instead of striding), ASPP with an image-pooling branch, a small head, bilinear upsampling to the input size.</summary>
public sealed class DeepLabV3 : nn.Module<Tensor, Tensor>
{
    private readonly Sequential backbone;
    private readonly Aspp aspp;
    private readonly Sequential head;

    public int NumClasses { get; }

    private DeepLabV3(ModelOptions options, int numClasses) : base(nameof(DeepLabV3))
    {
        NumClasses = numClasses;
        int w = options.BaseWidth;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("stem_conv", nn.Conv2d(3, w, 3, stride: 2, padding: 1, bias: false)),
            ("stem_bn", nn.BatchNorm2d(w)),
            ("stem_relu", nn.ReLU()),
        };
        // Stages: w (stride 1, total 2), 2w (stride 2, total 4), 4w (stride 2, total 8), 4w (dilation 2, total 8).
        (int channels, int stride, int dilation)[] stages = [(w, 1, 1), (2 * w, 2, 1), (4 * w, 2, 1), (4 * w, 1, 2)];
        int inChannels = w;
        for (int s = 0; s < stages.Length; s++)
        {
            var (c, stride, dilation) = stages[s];
            for (int b = 0; b < options.BlocksPerStage; b++)
            {
                layers.Add(($"stage{s}_block{b}", new ResidualBlock(inChannels, c, b == 0 ? stride : 1, dilation)));
                inChannels = c;
            }
        }
        backbone = nn.Sequential(layers);
        aspp = new Aspp(inChannels, options.AsppChannels, options.AsppRates);
        head = nn.Sequential(
            ("conv", nn.Conv2d(options.AsppChannels, options.AsppChannels, 3, padding: 1, bias: false)),
            ("bn", nn.BatchNorm2d(options.AsppChannels)),
            ("relu", nn.ReLU()),
            ("classifier", nn.Conv2d(options.AsppChannels, numClasses, 1)));
        RegisterComponents();
    }

    public static DeepLabV3 Create(ModelOptions options, int numClasses)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), "need background and at least one class");
        return new DeepLabV3(options, numClasses);
    }

    /// <summary>Backbone features (output stride 8), exposed for tests.</summary>
    public Tensor Features(Tensor input) => LayerTap.Sequence(backbone, input);

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var features = LayerTap.Sequence(backbone, input);
        var logits = LayerTap.Sequence(head, LayerTap.Run(aspp, features));
        var upsampled = nn.functional.interpolate(logits, [input.shape[2], input.shape[3]],
            mode: InterpolationMode.Bilinear, align_corners: false);
        return upsampled.MoveToOuterDisposeScope();
    }

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
