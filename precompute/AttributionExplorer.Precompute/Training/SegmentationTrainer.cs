using System.Diagnostics;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Training;
using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Training;

public sealed record TrainProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double LearningRate);

/// <summary><see cref="RecomputedBatches"/> is always 0: non-finite gradients are no longer retried but reported as
/// errors (their cause, multi-threaded oneDNN convolutions, is switched off); the field stays for the stored summaries.</summary>
public sealed record TrainResult(double[] EpochLosses, double Seconds, int RecomputedBatches);

/// <summary>Cross-entropy (ignore 255), Adam or SGD with momentum (<see cref="TrainingOptions.Optimizer"/>) with L2 weight decay, an optional linear warm-up, reduce-on-plateau on the epoch loss or cosine
/// annealing per batch (<see cref="TrainingOptions.Schedule"/>), seeded shuffling and horizontal flips.</summary>
public static class SegmentationTrainer
{
    public const int IgnoreIndex = 255;

    internal static bool GradientsAreFinite(nn.Module<Tensor, Tensor> model) =>
        model.parameters().All(p => p.grad is null || double.IsFinite(p.grad.sum().to(ScalarType.Float64).item<double>()));

    internal static torch.optim.Optimizer CreateOptimizer(nn.Module<Tensor, Tensor> model, TrainingOptions options) => options.Optimizer switch
    {
        Optimizers.Adam => torch.optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay),
        Optimizers.Sgd => torch.optim.SGD(model.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        _ => throw new ArgumentException($"Training:Optimizer {Optimizers.Problem(options.Optimizer)}, got {options.Optimizer}"),
    };

    public static TrainResult Train(nn.Module<Tensor, Tensor> model, ISegmentationSource train, TrainingOptions options,
        int seed, IProgress<TrainProgress>? progress = null, CancellationToken ct = default)
    {
        TorchThreads.Configure(options.Threads);
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var optimizer = CreateOptimizer(model, options);
        var plateau = new ReduceOnPlateau(options.LearningRate, options.PlateauFactor, options.PlateauPatience);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var losses = new double[options.Epochs];
        var order = Enumerable.Range(0, train.Count).ToArray();
        var device = ComputeDevice.Of(model);
        bool cosine = options.Schedule == LearningRateSchedules.Cosine;
        int warmupSteps = options.WarmupEpochs * batches;

        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            model.train();
            random.Shuffle(order);
            double total = 0;
            for (int b = 0; b < batches; b++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                int step = epoch * batches + b;
                double rate = (cosine ? LearningRateSchedules.CosineRate(options.LearningRate, step, options.Epochs * batches) : plateau.LearningRate)
                    * LearningRateSchedules.WarmupFactor(step, warmupSteps);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                var indices = order.Skip(b * options.BatchSize).Take(options.BatchSize).ToArray();
                var (images, labels) = LoadBatch(train, indices, device);
                if (options.HorizontalFlip) (images, labels) = FlipSome(images, labels, random);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images), labels, ignore_index: IgnoreIndex);
                double value = loss.item<float>();
                if (!double.IsFinite(value)) throw new InvalidOperationException(Diagnose(model, images, labels, value, epoch, b));
                loss.backward();
                // Non-finite gradients came from libtorch's multi-threaded oneDNN convolutions, now off (TorchBackends).
                if (!GradientsAreFinite(model))
                    throw new InvalidOperationException($"non-finite gradients at epoch {epoch + 1}, batch {b + 1} (see README, TorchSharp on Debian 12)");
                optimizer.step();
                total += value * indices.Length;
                progress?.Report(new TrainProgress(epoch + 1, options.Epochs, b + 1, batches, value, rate));
            }
            losses[epoch] = total / train.Count;
            if (!cosine) plateau.Step(losses[epoch]);
        }
        model.eval();
        return new TrainResult(losses, clock.Elapsed.TotalSeconds, RecomputedBatches: 0);
    }

    private static string Diagnose(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, double loss, int epoch, int batch)
    {
        var badParameters = model.named_parameters().Where(p => !p.parameter.isfinite().all().item<bool>()).Select(p => p.name).ToList();
        long valid = labels.ne(IgnoreIndex).sum().item<long>();
        return $"training diverged (loss {loss}) at epoch {epoch + 1}, batch {batch + 1}: inputs finite = {images.isfinite().all().item<bool>()}, " +
               $"labelled pixels = {valid}, non-finite parameters = [{string.Join(", ", badParameters.Take(5))}]; lower Training.LearningRate";
    }

    private static (Tensor Images, Tensor Labels) LoadBatch(ISegmentationSource source, int[] indices, Device device)
    {
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        foreach (int i in indices)
        {
            var (x, y) = source.Load(i, 1);
            images.Add(x);
            labels.Add(y);
        }
        return (torch.cat(images, 0).to(device), torch.cat(labels, 0).to(device));
    }

    /// <summary>Flips each example left-right with probability ½, images and labels together.</summary>
    internal static (Tensor Images, Tensor Labels) FlipSome(Tensor images, Tensor labels, Random random)
    {
        var flip = Enumerable.Range(0, (int)images.shape[0]).Select(_ => random.NextDouble() < 0.5).ToArray();
        if (!flip.Any(f => f)) return (images, labels);
        var mask = torch.tensor(flip, device: images.device);
        var flippedImages = torch.where(mask.view(-1, 1, 1, 1), images.flip(3), images);
        var flippedLabels = torch.where(mask.view(-1, 1, 1), labels.flip(2), labels);
        return (flippedImages, flippedLabels);
    }
}
