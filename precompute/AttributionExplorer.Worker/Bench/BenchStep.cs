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
            $"{request.Targets} targets, k = {k}, batch {batch}, {torch.get_num_threads()} CPU threads"));
        var figures = TrakThroughput.Measure(network, source, new BenchSettings(request.Train, request.Targets, k, batch),
            line => AnsiConsole.WriteLine(line));

        var table = new Table().Title($"bench ({device})").AddColumns("measure", "throughput", "seconds", "ratio");
        double Rate(string prefix) => figures.First(f => f.Name.StartsWith(prefix)).PerSecond;
        var ratios = new Dictionary<string, string>
        {
            ["per-example"] = $"{Rate("baseline: batched") / Rate("per-example"):F1}× slower than the batched backward",
            ["featurize"] = $"{Rate("baseline: batched") / Rate("featurize"):F1}× slower than the batched backward; projection adds {(Rate("per-example") / Rate("featurize") - 1) * 100:F0}%",
            ["score"] = $"{Rate("score") / Rate("baseline: managed"):F0}× the managed loop",
        };
        foreach (var f in figures)
            table.AddRow(Markup.Escape(f.Name), $"{f.PerSecond:N1} {f.Unit}/s", f.Seconds.ToString("F2"),
                Markup.Escape(ratios.FirstOrDefault(r => f.Name.StartsWith(r.Key)).Value ?? ""));
        AnsiConsole.Write(table);
        foreach (var r in ratios) AnsiConsole.WriteLine($"ratio {r.Key}: {r.Value}");
        context.Summary.Add(("bench", $"{device}: featurize {Rate("featurize"):N1} examples/s, score {Rate("score"):N0} pairs/s", figures.Sum(f => f.Seconds)));
        return figures;
    }
}
