using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak.Projection;

/// <summary>The structured projection against the per-example autograd loop (the oracle): each layer's block must be
/// P_outᵀ Gᵢ P_in of the loop's exact weight gradient, and the dense block the biases' and norms' exact gradients times
/// the dense matrix; then its statistics as a random projection.</summary>
public class KroneckerProjectedGradientsTests
{
    private static readonly ModelOptions DemoModel = new() { ImageSize = 64, BaseWidth = 16, BlocksPerStage = 1, AsppChannels = 32, AsppRates = [1, 2, 4] };

    [Fact]
    public void DemoModelFeaturesAreTheKroneckerProjectionOfTheExactGradients()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        var model = DeepLabV3.Create(DemoModel, 9);
        BatchedGradientComputerTests.RandomizeBatchNorm(model);
        var x = torch.randn(3, 3, 64, 64);
        var y = torch.randint(0, 9, [3, 64, 64]);
        ITargetOutput OutputFor(int i) => i == 1 ? FullImageLogOddsOutput.Instance : TrainLoss.Instance;

        AssertEqualsExplicitProjection(model, x, y, OutputFor, k: 128);
    }

    [Fact]
    public void EveryLayerTypeAndConvolutionGeometryIsProjectedExactly()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(22);
        var model = new BatchedGradientComputerTests.EveryLayerModel();
        BatchedGradientComputerTests.RandomizeBatchNorm(model);
        var x = torch.randn(4, 3, 17, 17);
        var y = torch.randint(0, 3, [4, 17, 17]);

        AssertEqualsExplicitProjection(model, x, y, _ => TrainLoss.Instance, k: 40);
    }

    /// <summary>E[PPᵀ] = I per factor, so the projected inner products average to the exact ones over seeds, and their
    /// spread shrinks as k grows (like 1/√k while no factor reaches its layer's size).</summary>
    [Fact]
    public void InnerProductsAreUnbiasedAndTightenWithTheDimension()
    {
        AttributionExplorer.Precompute.Training.TorchThreads.Configure(0);
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(23);
        var model = new WideModel();
        var x = torch.randn(3, 3, 9, 9);
        var y = torch.randint(0, 4, [3, 9, 9]);
        var exact = new PerExampleGradientComputer(model).Compute(x, y, _ => TrainLoss.Instance).to(ScalarType.Float64);
        var exactGram = exact.matmul(exact.t());

        double Spread(int k, int seeds)
        {
            var grams = Enumerable.Range(0, seeds).Select(s =>
            {
                using var projector = new KroneckerProjectedGradients(model, k, seed: 1000 + s);
                var phi = projector.Compute(x, y, _ => TrainLoss.Instance).to(ScalarType.Float64);
                return phi.matmul(phi.t());
            }).ToList();
            var stacked = torch.stack(grams);
            var mean = stacked.mean([0]);
            var standardError = stacked.std(0) / Math.Sqrt(seeds);
            // Unbiased: every Gram entry's mean over seeds within 4 standard errors of the exact inner product.
            var z = ((mean - exactGram).abs() / standardError.clamp_min(1e-12)).max().item<double>();
            Assert.True(z < 4, $"k = {k}: a projected inner product's mean is {z:F1} standard errors from the exact one");
            return ((stacked - exactGram).pow(2).mean().sqrt() / exactGram.abs().mean()).item<double>();
        }

        double small = Spread(16, 60), large = Spread(256, 60);
        Assert.True(large < small / 2, $"relative RMS error {small:F3} at k = 16 and {large:F3} at k = 256: should fall about 4×");
    }

    [Fact]
    public void AGroupedConvolutionIsRefusedWhenTheProjectionIsMadeNotMidBatch()
    {
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(("grouped", nn.Conv2d(4, 4, 3, padding: 1, groups: 2)));
        var error = Assert.Throws<NotSupportedException>(() => new KroneckerProjectedGradients(model, 16, seed: 0));
        Assert.Contains("ungrouped", error.Message);
    }

    /// <summary>Layers wide enough that no factor reaches its layer's size at k = 256.</summary>
    private sealed class WideModel : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d first = nn.Conv2d(3, 48, 3, padding: 1);
        private readonly Conv2d second = nn.Conv2d(48, 48, 3, padding: 1, bias: false);
        private readonly Conv2d head = nn.Conv2d(48, 4, 1);

        public WideModel() : base(nameof(WideModel)) => RegisterComponents();

        public override Tensor forward(Tensor x) =>
            LayerTap.Run(head, nn.functional.relu(LayerTap.Run(second, nn.functional.relu(LayerTap.Run(first, x)))));
    }

    [Fact]
    public void AllocationGrowsTheLayerWithTheMostParametersPerDimensionWithinTheBudget()
    {
        var (weights, dense) = KroneckerProjectedGradients.Allocation([(4, 4), (100, 100)], denseCount: 0, k: 10);
        Assert.Equal(0, dense);
        Assert.Equal([(1, 1), (3, 3)], weights);

        // The dense share is min(q, max(4, k/16)); a factor never exceeds its layer's size.
        (weights, dense) = KroneckerProjectedGradients.Allocation([(2, 3), (50, 1)], denseCount: 100, k: 64);
        Assert.Equal(4, dense);
        Assert.Equal([(2, 3), (50, 1)], weights);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KroneckerProjectedGradients.Allocation([(4, 4), (4, 4), (4, 4)], 10, k: 6));
        Assert.Contains("needs k ≥ 7", error.Message);
    }

    private static void AssertEqualsExplicitProjection(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, Func<int, ITargetOutput> outputFor, int k)
    {
        var exact = new PerExampleGradientComputer(model).Compute(x, y, outputFor);
        using var structured = new KroneckerProjectedGradients(model, k, seed: 5);
        var features = structured.Compute(x, y, outputFor);
        Assert.Equal(structured.ParameterCount, features.shape[1]);
        Assert.InRange(structured.ParameterCount, k / 2, k);

        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        var offsets = new Dictionary<Parameter, long>(ReferenceEqualityComparer.Instance);
        long offset = 0;
        foreach (var p in parameters) { offsets[p] = offset; offset += p.numel(); }
        Tensor Slice(Parameter p) => exact.narrow(1, offsets[p], p.numel());

        long batch = x.shape[0];
        foreach (var layer in model.modules().Where(m => m is Conv2d or Linear))
        {
            var weight = layer is Conv2d conv ? conv.weight! : ((Linear)layer).weight!;
            var (start, outFactor, inFactor) = structured.FactorsOf(layer);
            var gradient = Slice(weight).reshape(batch, weight.shape[0], -1);
            var expected = outFactor.t().matmul(gradient).matmul(inFactor).reshape(batch, -1);
            AssertClose(expected, features.narrow(1, start, expected.shape[1]), $"{layer.GetType().Name} block at {start}");
        }
        var (denseParameters, matrix, denseStart) = structured.DensePart;
        var expectedDense = torch.cat(denseParameters.Select(p => Slice(p)).ToList(), 1).matmul(matrix!);
        AssertClose(expectedDense, features.narrow(1, denseStart, expectedDense.shape[1]), "bias and norm block");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        for (int i = 0; i < expected.shape[0]; i++)
        {
            double error = (actual[i] - expected[i]).norm().item<float>() / Math.Max(1e-12, expected[i].norm().item<float>());
            Assert.True(error <= 1e-4, $"{what}, example {i}: relative error {error:E2}");
        }
    }
}
