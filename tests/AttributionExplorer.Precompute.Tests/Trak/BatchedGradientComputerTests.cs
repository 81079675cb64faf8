using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

/// <summary>The batched per-example gradients against the per-example autograd loop (the oracle).</summary>
public class BatchedGradientComputerTests
{
    private static readonly ModelOptions DemoModel = new() { ImageSize = 64, BaseWidth = 16, BlocksPerStage = 1, AsppChannels = 32, AsppRates = [1, 2, 4] };

    [Fact]
    public void DemoModelGradientsEqualThePerExampleLoop()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var model = DeepLabV3.Create(DemoModel, 9);
        RandomizeBatchNorm(model);
        var x = torch.randn(5, 3, 64, 64);
        var y = torch.randint(0, 9, [5, 64, 64]);
        y[1, ..20, ..] = torch.tensor(255L);                                      // ignored pixels
        // Different outputs per example: the batched sum must still separate them.
        ITargetOutput OutputFor(int i) => i % 2 == 0 ? TrainLoss.Instance : FullImageLogOddsOutput.Instance;

        AssertEqualToLoop(model, x, y, OutputFor);
    }

    /// <summary>Also the test that caught oneDNN's wrong dilated-convolution input gradients (batch 4, 9×9 maps): with
    /// oneDNN on, the batched result was 11% off while the loop matched float64.</summary>
    [Fact]
    public void EveryLayerTypeAndConvolutionGeometryEqualsThePerExampleLoop()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(12);
        var model = new EveryLayerModel();
        RandomizeBatchNorm(model);
        var x = torch.randn(4, 3, 17, 17);
        var y = torch.randint(0, 3, [4, 17, 17]);

        var batched = AssertEqualToLoop(model, x, y, _ => TrainLoss.Instance);
        Assert.False(batched.UsesLoop);
    }

    [Fact]
    public void AModelThatIsNotTappedFallsBackToTheLoop()
    {
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter([0.3, -0.2], 0.1);
        var x = torch.tensor(new float[] { 1, 2, -1, 0.5f }, [2, 2]);
        var y = torch.tensor(new long[] { 1, 0 }, [2, 1, 1]);

        var batched = AssertEqualToLoop(model, x, y, _ => TrainLoss.Instance);
        Assert.True(batched.UsesLoop);
    }

    private static BatchedGradientComputer AssertEqualToLoop(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Func<int, ITargetOutput> outputFor)
    {
        var expected = new PerExampleGradientComputer(model).Compute(x, y, outputFor);
        var batched = new BatchedGradientComputer(model);
        var actual = batched.Compute(x, y, outputFor);
        Assert.Equal(expected.shape, actual.shape);
        for (int i = 0; i < expected.shape[0]; i++)
        {
            double error = (actual[i] - expected[i]).norm().item<float>() / expected[i].norm().item<float>();
            Assert.True(error <= 1e-5, $"example {i}: relative error {error:E2}");
        }
        return batched;
    }

    /// <summary>Non-trivial running statistics and affine parameters, so eval-mode BatchNorm is not the identity.</summary>
    internal static void RandomizeBatchNorm(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var module in model.modules().OfType<BatchNorm2d>())
        {
            module.running_mean!.normal_(0, 0.3);
            module.running_var!.uniform_(0.5, 2);
            module.weight!.uniform_(0.5, 1.5);
            module.bias!.normal_(0, 0.2);
        }
    }

    /// <summary>Conv2d with stride, padding and bias; dilated Conv2d without bias; strided 1×1 Conv2d; pointwise
    /// Conv2d; BatchNorm2d; image pooling into a Linear whose output is added per class.</summary>
    internal sealed class EveryLayerModel : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d strided = nn.Conv2d(3, 6, 3, stride: 2, padding: 1);
        private readonly BatchNorm2d bn = nn.BatchNorm2d(6);
        private readonly Conv2d dilated = nn.Conv2d(6, 5, 3, padding: 2, dilation: 2, bias: false);
        private readonly Conv2d shortcut = nn.Conv2d(3, 5, 1, stride: 2, bias: false);
        private readonly Conv2d classifier = nn.Conv2d(5, 3, 1);
        private readonly Linear perClass = nn.Linear(5, 3);

        public EveryLayerModel() : base(nameof(EveryLayerModel)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            var h = nn.functional.relu(LayerTap.Run(bn, LayerTap.Run(strided, x)));
            h = nn.functional.relu(LayerTap.Run(dilated, h) + LayerTap.Run(shortcut, x));
            var pooled = h.mean([2, 3]);
            var logits = LayerTap.Run(classifier, h) + LayerTap.Run(perClass, pooled).view(-1, 3, 1, 1);
            return nn.functional.interpolate(logits, [x.shape[2], x.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        }
    }
}
