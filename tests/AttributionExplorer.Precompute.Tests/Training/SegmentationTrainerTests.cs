using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Training;

public class SegmentationTrainerTests
{
    /// <summary>Bright squares on dark noise, labels from the square: learnable in a few epochs.</summary>
    private sealed class SquaresSource : ISegmentationSource
    {
        private readonly float[][] images;
        private readonly long[][] labels;
        private const int S = 32;

        public SquaresSource(int count, int seed)
        {
            var random = new Random(seed);
            images = new float[count][];
            labels = new long[count][];
            for (int n = 0; n < count; n++)
            {
                images[n] = new float[3 * S * S];
                labels[n] = new long[S * S];
                int x0 = random.Next(0, 20), y0 = random.Next(0, 20), size = random.Next(8, 12);
                for (int y = 0; y < S; y++)
                for (int x = 0; x < S; x++)
                {
                    bool inside = x >= x0 && x < x0 + size && y >= y0 && y < y0 + size;
                    labels[n][y * S + x] = inside ? 1 : 0;
                    for (int c = 0; c < 3; c++) images[n][c * S * S + y * S + x] = (inside ? 1.5f : -1f) + (float)random.NextDouble() * 0.4f;
                }
            }
            ImageIds = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        }

        public int Count => images.Length;
        public IReadOnlyList<long> ImageIds { get; }
        public int NumClasses => 2;
        public (Tensor Images, Tensor Labels) Load(int start, int count) => (
            torch.tensor(images.Skip(start).Take(count).SelectMany(v => v).ToArray(), [count, 3, S, S]),
            torch.tensor(labels.Skip(start).Take(count).SelectMany(v => v).ToArray(), [count, S, S]));
    }

    [Fact]
    public void TrainingLowersTheLossAndSegmentsSquares()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 }, 2);
        var source = new SquaresSource(16, seed: 1);
        var result = SegmentationTrainer.Train(model, source,
            new TrainingOptions { Epochs = 15, BatchSize = 4, LearningRate = 2e-3, WeightDecay = 0 }, seed: 0);
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0] * 0.6, string.Join(", ", result.EpochLosses));
        double miou = SegmentationPredictor.Evaluate(model, new SquaresSource(8, seed: 2));
        Assert.True(miou > 0.6, $"mIoU {miou}");
    }

    [Fact]
    public void CheckpointRoundTripGivesIdenticalOutputs()
    {
        using var scope = torch.NewDisposeScope();
        var options = new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 };
        torch.manual_seed(5);
        var model = DeepLabV3.Create(options, 3);
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"ckpt-{Guid.NewGuid():N}.bin");
        try
        {
            CheckpointFile.Save(model, path);
            torch.manual_seed(6);
            var loaded = CheckpointFile.Load(path, options, 3);
            var x = torch.randn(1, 3, 32, 32);
            Assert.True(model.forward(x).allclose(loaded.forward(x)));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FlipKeepsImagesAndLabelsAligned()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.arange(2 * 1 * 2 * 3, dtype: ScalarType.Float32).reshape(2, 1, 2, 3);
        var labels = torch.arange(2 * 2 * 3, dtype: ScalarType.Int64).reshape(2, 2, 3);
        var (fi, fl) = SegmentationTrainer.FlipSome(images, labels, new Random(0));
        for (int n = 0; n < 2; n++)
        {
            bool flipped = !fi[n].equal(images[n]).all().item<bool>();
            Assert.Equal(flipped, !fl[n].equal(labels[n]).all().item<bool>());
            if (flipped) Assert.True(fl[n].equal(labels[n].flip(1)).all().item<bool>());
        }
    }

    [Fact]
    public void TheCosineScheduleSetsEveryBatchsRateFromItsClosedFormAndStillLearns()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 }, 2);
        var reported = new List<TrainProgress>();
        var options = new TrainingOptions { Epochs = 6, BatchSize = 4, LearningRate = 4e-3, WeightDecay = 0, Schedule = "cosine", PlateauPatience = 0, PlateauFactor = 0.1 };
        var result = SegmentationTrainer.Train(model, new SquaresSource(16, seed: 1), options, seed: 0, new SyncProgress(reported.Add));
        Assert.Equal(24, reported.Count);
        for (int step = 0; step < reported.Count; step++)
            Assert.Equal(Core.Training.LearningRateSchedules.CosineRate(4e-3, step, 24), reported[step].LearningRate, 15);
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0] * 0.7, string.Join(", ", result.EpochLosses));
    }

    [Fact]
    public void SgdTakesTheHeavyBallStepsOfItsClosedFormWithWeightDecay()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 }, 2);
        var options = new TrainingOptions { Optimizer = "sgd", LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-3 };
        var optimizer = SegmentationTrainer.CreateOptimizer(model, options);
        var (images, labels) = new SquaresSource(4, seed: 1).Load(0, 4);
        model.eval();
        var start = model.parameters().Select(p => p.detach().clone()).ToList();
        var velocity = start.Select(p => torch.zeros_like(p)).ToList();
        var expected = start.Select(p => p.clone()).ToList();
        for (int step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(images), labels).backward();
            var parameters = model.parameters().ToList();
            for (int i = 0; i < parameters.Count; i++)
            {
                // v ← μ·v + (g + wd·θ) (the first step starts v at the gradient); θ ← θ − lr·v
                var g = parameters[i].grad!.detach() + 1e-3 * expected[i];
                velocity[i] = step == 0 ? g : 0.9 * velocity[i] + g;
                expected[i] = expected[i] - 0.05 * velocity[i];
            }
            optimizer.step();
            for (int i = 0; i < parameters.Count; i++)
                Assert.True(parameters[i].detach().allclose(expected[i], rtol: 1e-4, atol: 1e-6), $"parameter {i} after step {step + 1}");
        }
        Assert.False(model.parameters().First().detach().allclose(start[0]));
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("plateau")]
    public void WarmupScalesTheFirstEpochsRatesLinearlyThenTheScheduleRuns(string schedule)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 }, 2);
        var reported = new List<TrainProgress>();
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, LearningRate = 4e-3, WeightDecay = 0, Schedule = schedule, WarmupEpochs = 1, PlateauPatience = 5 };
        SegmentationTrainer.Train(model, new SquaresSource(16, seed: 1), options, seed: 0, new SyncProgress(reported.Add));
        Assert.Equal(12, reported.Count);
        for (int step = 0; step < 12; step++)
        {
            double scheduled = schedule == "cosine" ? Core.Training.LearningRateSchedules.CosineRate(4e-3, step, 12) : 4e-3;
            Assert.Equal(scheduled * Math.Min(1.0, (step + 1) / 4.0), reported[step].LearningRate, 15);
        }
    }

    [Fact]
    public void SgdWithMomentumLearnsTheSquares()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 16 }, 2);
        var result = SegmentationTrainer.Train(model, new SquaresSource(16, seed: 1),
            new TrainingOptions { Optimizer = "sgd", Epochs = 15, BatchSize = 4, LearningRate = 0.05, WeightDecay = 0 }, seed: 0);
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0] * 0.6, string.Join(", ", result.EpochLosses));
    }

    private sealed class SyncProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
