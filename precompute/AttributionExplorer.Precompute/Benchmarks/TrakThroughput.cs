using System.Diagnostics;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Benchmarks;

public sealed record BenchFigure(string Name, double Seconds, double Count, string Unit, string Note = "")
{
    public double PerSecond => Seconds > 0 ? Count / Seconds : double.NaN;
}

public sealed record BenchSettings(int TrainExamples, int Targets, int ProjectionDim, int BatchSize, int NaiveScoreTargets = 4);

/// <summary>Featurization and scoring throughput of the TRAK path, each next to a plain baseline timed in the same
/// process on the same model and device: one batched backward of the summed loss (what a training step pays per
/// example) for the per-example-gradient path, and a managed dot-product loop for scoring.</summary>
public static class TrakThroughput
{
    public static IReadOnlyList<BenchFigure> Measure(nn.Module<Tensor, Tensor> model, ISegmentationSource train, BenchSettings settings,
        Action<string>? log = null)
    {
        var device = Training.ComputeDevice.Of(model);
        var figures = new List<BenchFigure>();
        var gradients = new PerExampleGradientComputer(model);
        var projector = new RandomProjector(ProjectionKind.Rademacher, gradients.ParameterCount, settings.ProjectionDim, 0);
        int n = train.Count;

        // Warm-up: first calls pay for allocator growth and kernel selection.
        using (var warm = torch.NewDisposeScope())
        {
            var (x, y) = train.Load(0, Math.Min(2, n));
            projector.Project(gradients.Compute(x, y, _ => TrainLoss.Instance));
            BatchedBackward(model, x, y);
        }

        figures.Add(Time("baseline: batched loss backward", n, "examples", () =>
        {
            for (int start = 0; start < n; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = train.Load(start, Math.Min(settings.BatchSize, n - start));
                BatchedBackward(model, x, y);
            }
        }, device, log));

        figures.Add(Time("per-example gradients (autograd.grad loop)", n, "examples", () =>
        {
            for (int start = 0; start < n; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = train.Load(start, Math.Min(settings.BatchSize, n - start));
                gradients.Compute(x, y, _ => TrainLoss.Instance);
            }
        }, device, log));

        Tensor? features = null;
        figures.Add(Time($"featurize: gradients + projection to k={settings.ProjectionDim}", n, "examples", () =>
            features = TrakFeaturizer.Featurize(gradients, projector, train, _ => TrainLoss.Instance, settings.BatchSize), device, log));

        using var phi = features!;
        Tensor? scoring = null;
        figures.Add(Time("kernel: (ΦᵀΦ+λI)⁻¹Φᵀ", 1, "kernels", () => scoring = TrakScorer.ScoringMatrix(phi, 1e-3), device, log));
        using var scoringMatrix = scoring!;

        using var psi = torch.randn(settings.Targets, settings.ProjectionDim, device: device);
        double pairs = (double)settings.Targets * n;
        figures.Add(TimeRepeated("score: Ψ·M (targets × train)", pairs, "pairs", () => { using var s = TrakScorer.Score(psi, scoringMatrix); }, device, log));

        int naiveTargets = Math.Min(settings.NaiveScoreTargets, settings.Targets);
        var psiRows = psi.narrow(0, 0, naiveTargets).cpu().data<float>().ToArray();
        var matrix = scoringMatrix.cpu().data<float>().ToArray();
        int k = settings.ProjectionDim;
        figures.Add(TimeRepeated("baseline: managed dot-product scoring", (double)naiveTargets * n, "pairs", () =>
        {
            var output = new float[naiveTargets * n];
            for (int t = 0; t < naiveTargets; t++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int c = 0; c < k; c++) sum += psiRows[t * k + c] * matrix[c * n + j];
                    output[t * n + j] = (float)-sum;
                }
        }, device, log));
        return figures;
    }

    private static void BatchedBackward(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels)
    {
        var device = Training.ComputeDevice.Of(model);
        model.eval();
        var loss = TrainLoss.Instance.Compute(model.forward(images.to(device)), labels.to(device));
        var parameters = model.parameters().Where(p => p.requires_grad).Cast<Tensor>().ToArray();
        var grads = torch.autograd.grad([loss], parameters);
        foreach (var g in grads) g.Dispose();
    }

    private static BenchFigure Time(string name, double count, string unit, Action work, Device device, Action<string>? log)
    {
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        work();
        Synchronize(device);
        var figure = new BenchFigure(name, clock.Elapsed.TotalSeconds, count, unit);
        log?.Invoke($"{name}: {figure.PerSecond:N1} {unit}/s ({figure.Seconds:F2} s)");
        return figure;
    }

    /// <summary>Repeats a short piece of work until at least <paramref name="minSeconds"/> have passed.</summary>
    private static BenchFigure TimeRepeated(string name, double countPerRun, string unit, Action work, Device device, Action<string>? log,
        double minSeconds = 0.5)
    {
        work();
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        int runs = 0;
        do { work(); runs++; Synchronize(device); } while (clock.Elapsed.TotalSeconds < minSeconds);
        var figure = new BenchFigure(name, clock.Elapsed.TotalSeconds, countPerRun * runs, unit, $"{runs} runs");
        log?.Invoke($"{name}: {figure.PerSecond:N1} {unit}/s ({runs} runs, {figure.Seconds:F2} s)");
        return figure;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
