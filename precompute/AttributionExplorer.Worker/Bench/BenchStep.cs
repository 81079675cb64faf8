using AttributionExplorer.Precompute.Benchmarks;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Worker.Pipeline;
using Spectre.Console;
using TorchSharp;

namespace AttributionExplorer.Worker.Bench;

public sealed record BenchRequest(string? Device, int Train, int Targets, int? ProjectionDim, int? BatchSize, bool FullSize, int Threads, int Classes = 9);

/// <summary>`precompute bench`: TRAK featurization and scoring throughput on a seeded random model and synthetic
/// images of the configured size, with the in-process baselines and their ratios.</summary>
public static class BenchStep
{
    public static IReadOnlyList<BenchFigure> Run(PipelineContext context, BenchRequest request)
    {
        var device = Precompute.Training.ComputeDevice.Resolve(request.Device ?? context.Options.Device);
        var model = request.FullSize ? context.Options.Model : context.Options.Demo.Model;
        var trak = request.FullSize ? context.Options.Trak : context.Options.Demo.Trak;
        int k = request.ProjectionDim ?? trak.ProjectionDim, batch = request.BatchSize ?? trak.GradientBatchSize;
        Precompute.Training.TorchThreads.Configure(request.Threads);
        torch.manual_seed(0);
        using var network = DeepLabV3.Create(model, request.Classes);
        network.to(device);
        var source = new SyntheticSegmentationSource(request.Train, request.Classes, model.ImageSize, seed: 0);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"bench on {device}: {model.ImageSize}px DeepLabV3, {network.ParameterCount():N0} parameters, {request.Train} training examples, " +
            $"{request.Targets} targets, k = {k}, batch {batch}, {torch.get_num_threads()} CPU threads, backends (NNPACK, oneDNN) = {Precompute.Training.TorchBackends.State()}"));
        var figures = TrakThroughput.Measure(network, source, new BenchSettings(request.Train, request.Targets, k, batch),
            line => AnsiConsole.WriteLine(line));

        var table = new Table().Title($"bench ({device})").AddColumns("measure", "throughput", "seconds", "CPU s", "× floor (wall)", "× floor (CPU)");
        var floor = figures.First(f => f.Name == TrakThroughput.Floor);
        foreach (var f in figures)
        {
            bool perExample = f.Unit == "examples";
            table.AddRow(Markup.Escape(f.Name), $"{f.PerSecond:N1} {f.Unit}/s", f.Seconds.ToString("F2"), f.CpuSeconds.ToString("F2"),
                perExample ? $"{f.PerSecond / floor.PerSecond:F2}" : "", perExample ? $"{f.PerCpuSecond / floor.PerCpuSecond:F2}" : "");
        }
        AnsiConsole.Write(table);
        double Rate(string prefix) => figures.First(f => f.Name.StartsWith(prefix)).PerSecond;
        // The headline is the fastest exact path (dense or SRHT projection, loop or batched gradients): which one wins
        // depends on the size (README, Throughput); "before" is the loop with the dense projection.
        var before = figures.First(f => f.Name == TrakThroughput.FeaturizeLoop);
        var bestExact = figures.Where(f => TrakThroughput.ExactFeaturize.Contains(f.Name)).MaxBy(f => f.PerCpuSecond)!;
        AnsiConsole.WriteLine($"ratio featurize exact / floor: {bestExact.PerSecond / floor.PerSecond:F2} (wall), " +
            $"{bestExact.PerCpuSecond / floor.PerCpuSecond:F2} (CPU), fastest exact row: {bestExact.Name}; " +
            $"featurize exact / featurize with the loop (before): {bestExact.PerSecond / before.PerSecond:F2} (wall), " +
            $"{bestExact.PerCpuSecond / before.PerCpuSecond:F2} (CPU)");
        var structured = figures.First(f => f.Name.StartsWith(TrakThroughput.FeaturizeStructured));
        AnsiConsole.WriteLine($"ratio featurize structured / floor: {structured.PerSecond / floor.PerSecond:F2} (wall), {structured.PerCpuSecond / floor.PerCpuSecond:F2} (CPU); " +
            $"featurize structured / fastest featurize exact: {structured.PerSecond / bestExact.PerSecond:F2}");
        AnsiConsole.WriteLine($"ratio score / managed loop: {Rate("score") / Rate("baseline: managed"):F0}");
        context.Summary.Add(("bench", $"{device}: featurize exact {bestExact.PerSecond:N1} examples/s, score {Rate("score"):N0} pairs/s", figures.Sum(f => f.Seconds)));
        return figures;
    }
}
