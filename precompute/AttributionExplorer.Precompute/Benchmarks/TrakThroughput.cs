using System.Diagnostics;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Benchmarks;

/// <param name="CpuSeconds">Process CPU time over the same span: on a shared machine a single-threaded step's CPU
/// time moves much less with other load than its wall time.</param>
public sealed record BenchFigure(string Name, double Seconds, double Count, string Unit, string Note = "", double CpuSeconds = double.NaN)
{
    public double PerSecond => Seconds > 0 ? Count / Seconds : double.NaN;
    public double PerCpuSecond => CpuSeconds > 0 ? Count / CpuSeconds : double.NaN;
}

/// <param name="TrainingEpoch">Also time one training epoch over the examples (train mode, Adam, batch = BatchSize).</param>
public sealed record BenchSettings(int TrainExamples, int Targets, int ProjectionDim, int BatchSize, int NaiveScoreTargets = 4, bool TrainingEpoch = true);

/// <summary>Featurization and scoring throughput of the TRAK path, each next to a plain baseline timed in the same
/// process on the same model and device: one batched backward of the summed loss (what a training step pays per
/// example; the floor per-example gradients can reach) for the gradient paths, and a managed dot-product loop for
/// scoring.</summary>
public static class TrakThroughput
{
    public const string Floor = "baseline: batched loss backward";
    public const string Loop = "per-example gradients: autograd.grad loop";
    public const string Batched = "per-example gradients: batched exact";
    public const string Projection = "projection alone";
    public const string ProjectionCached = "projection, matrix kept from an earlier call";
    private const long MaxCachedMatrixBytes = 1L << 30;
    public const string Featurize = "featurize exact, dense (batched gradients + dense projection)";
    public const string FeaturizeLoop = "featurize with the loop (before: loop gradients + dense projection)";
    public const string FeaturizeStructured = "featurize structured (LoGra-style Kronecker factors, one batched backward)";
    public const string ProjectionSrht = "projection alone, SRHT (no matrix)";
    public const string FeaturizeSrhtLoop = "featurize exact, SRHT (loop gradients + SRHT)";
    public const string FeaturizeSrhtBatched = "featurize exact, SRHT (batched gradients + SRHT)";
    /// <summary>The rows that featurize with exact per-example gradients (any projection, any gradient method).</summary>
    public static readonly IReadOnlyList<string> ExactFeaturize = [Featurize, FeaturizeSrhtLoop, FeaturizeSrhtBatched];

    public static IReadOnlyList<BenchFigure> Measure(nn.Module<Tensor, Tensor> model, ISegmentationSource train, BenchSettings settings,
        Action<string>? log = null)
    {
        var device = Training.ComputeDevice.Of(model);
        var figures = new List<BenchFigure>();
        var loop = new PerExampleGradientComputer(model);
        var batched = new BatchedGradientComputer(model);
        var projector = new RandomProjector(ProjectionKind.Gaussian, loop.ParameterCount, settings.ProjectionDim, 0);
        var srht = new SrhtProjector(loop.ParameterCount, settings.ProjectionDim, 0);
        int n = train.Count;

        // Warm-up: first calls pay for allocator growth and kernel selection.
        using (var warm = torch.NewDisposeScope())
        {
            var (x, y) = train.Load(0, Math.Min(2, n));
            projector.Project(loop.Compute(x, y, _ => TrainLoss.Instance));
            batched.Compute(x, y, _ => TrainLoss.Instance);
            BatchedBackward(model, x, y);
        }

        void Batches(Action<Tensor, Tensor> work)
        {
            for (int start = 0; start < n; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                var (x, y) = train.Load(start, Math.Min(settings.BatchSize, n - start));
                work(x, y);
            }
        }

        figures.Add(Time(Floor, n, "examples", () => Batches((x, y) => BatchedBackward(model, x, y)), device, log));
        figures.Add(Time(Loop, n, "examples", () => Batches((x, y) => loop.Compute(x, y, _ => TrainLoss.Instance)), device, log));
        figures.Add(Time(Batched, n, "examples", () => Batches((x, y) => batched.Compute(x, y, _ => TrainLoss.Instance)), device, log));

        using (var gradients = TrakFeaturizer.Featurize(batched, new NoOpProjector(batched.ParameterCount), train, _ => TrainLoss.Instance, settings.BatchSize))
        {
            figures.Add(Time($"{Projection} (p = {batched.ParameterCount:N0} → k = {settings.ProjectionDim})", n, "examples",
                () => { using var projected = projector.Project(gradients); }, device, log));
            using (var warmSrht = srht.Project(gradients.narrow(0, 0, 1))) { }
            figures.Add(Time(ProjectionSrht, n, "examples", () => { using var projected = srht.Project(gradients); }, device, log));
            // Only where the kept matrix is modest: at 224 px it would be 12 GB.
            using var caching = new RandomProjector(ProjectionKind.Gaussian, batched.ParameterCount, settings.ProjectionDim, 0, cacheBytes: MaxCachedMatrixBytes);
            if (caching.Caches)
            {
                using (var first = caching.Project(gradients.narrow(0, 0, 1))) { }
                figures.Add(Time(ProjectionCached, n, "examples", () => { using var projected = caching.Project(gradients); }, device, log));
            }
        }

        Tensor? features = null;
        figures.Add(Time(Featurize, n, "examples", () =>
            features = TrakFeaturizer.Featurize(batched, projector, train, _ => TrainLoss.Instance, settings.BatchSize), device, log));
        using var phi = features!;
        figures.Add(Time(FeaturizeLoop, n, "examples", () =>
        {
            using var f = TrakFeaturizer.Featurize(loop, projector, train, _ => TrainLoss.Instance, settings.BatchSize);
        }, device, log));
        figures.Add(Time(FeaturizeSrhtLoop, n, "examples", () =>
        {
            using var f = TrakFeaturizer.Featurize(loop, srht, train, _ => TrainLoss.Instance, settings.BatchSize);
        }, device, log));
        figures.Add(Time(FeaturizeSrhtBatched, n, "examples", () =>
        {
            using var f = TrakFeaturizer.Featurize(batched, srht, train, _ => TrainLoss.Instance, settings.BatchSize);
        }, device, log));
        using (var structured = new KroneckerProjectedGradients(model, settings.ProjectionDim, 0))
        {
            using (var warm = torch.NewDisposeScope())
            {
                var (x, y) = train.Load(0, Math.Min(2, n));
                structured.Compute(x, y, _ => TrainLoss.Instance);
            }
            figures.Add(Time($"{FeaturizeStructured}, k = {structured.ParameterCount}", n, "examples", () =>
            {
                using var f = TrakFeaturizer.Featurize(structured, new NoOpProjector(structured.ParameterCount), train, _ => TrainLoss.Instance, settings.BatchSize);
            }, device, log));
        }

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

        if (settings.TrainingEpoch)
            figures.Add(TrainingEpoch(model, train, settings.BatchSize, device, log));
        return figures;
    }

    /// <summary>One epoch of the real trainer on a copy-free run of the same model (its parameters change; the bench
    /// model is random anyway, and this runs last).</summary>
    private static BenchFigure TrainingEpoch(nn.Module<Tensor, Tensor> model, ISegmentationSource train, int batchSize, Device device, Action<string>? log)
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize, LearningRate = 1e-4, HorizontalFlip = true, Threads = torch.get_num_threads() };
        var figure = Time("training epoch (train mode, Adam, flips)", train.Count, "examples",
            () => Training.SegmentationTrainer.Train(model, train, options, seed: 0), device, log);
        model.eval();
        return figure;
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

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static BenchFigure Time(string name, double count, string unit, Action work, Device device, Action<string>? log)
    {
        Synchronize(device);
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        work();
        Synchronize(device);
        var figure = new BenchFigure(name, clock.Elapsed.TotalSeconds, count, unit, CpuSeconds: (Cpu() - cpu).TotalSeconds);
        log?.Invoke($"{name}: {figure.PerSecond:N1} {unit}/s ({figure.Seconds:F2} s, {figure.CpuSeconds:F2} CPU s)");
        return figure;
    }

    /// <summary>Repeats a short piece of work until at least <paramref name="minSeconds"/> have passed.</summary>
    private static BenchFigure TimeRepeated(string name, double countPerRun, string unit, Action work, Device device, Action<string>? log,
        double minSeconds = 0.5)
    {
        work();
        Synchronize(device);
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        int runs = 0;
        do { work(); runs++; Synchronize(device); } while (clock.Elapsed.TotalSeconds < minSeconds);
        var figure = new BenchFigure(name, clock.Elapsed.TotalSeconds, countPerRun * runs, unit, $"{runs} runs", (Cpu() - cpu).TotalSeconds);
        log?.Invoke($"{name}: {figure.PerSecond:N1} {unit}/s ({runs} runs, {figure.Seconds:F2} s)");
        return figure;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
