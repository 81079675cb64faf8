using System.CommandLine;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Worker.Bench.Scale;
using AttributionExplorer.Worker.Infrastructure;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>`precompute bench scale`: the page reads at COCO size (<see cref="ScaleBench"/>); exits 2 when a budget is missed.</summary>
public static class BenchScaleCommand
{
    public static Command Create()
    {
        var train = new Option<int>("--train") { Description = "training images", DefaultValueFactory = _ => 118_000 };
        var heldOut = new Option<int>("--heldout") { Description = "held-out images (one full-image target each)", DefaultValueFactory = _ => 5_000 };
        var objects = new Option<int>("--objects") { Description = "annotations, spread over all images", DefaultValueFactory = _ => 500_000 };
        var topK = new Option<int>("--top-k") { Description = "ranks kept per target and sign", DefaultValueFactory = _ => 50 };
        var dtype = new Option<string>("--dtype") { Description = "dense score dtype: float16 or float32", DefaultValueFactory = _ => "float16" };
        var seed = new Option<int>("--seed") { Description = "seed of the synthetic store", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "timed calls per page read (the export: at most 5)", DefaultValueFactory = _ => 50 };
        var provider = new Option<string>("--provider") { Description = $"storage provider: {string.Join(" or ", ScaleStoreFactory.Providers)}", DefaultValueFactory = _ => ScaleStoreFactory.Sqlite };
        var connection = new Option<string?>("--connection") { Description = "SQLite: the store's database file (default: DataRoot/bench-scale/scale.db; score files go next to it); PostgreSQL: the connection string (required)" };
        var dataRoot = new Option<string?>("--data-root") { Description = "folder of the store's score files (default: the SQLite file's folder; PostgreSQL: DataRoot/bench-scale)" };
        var config = new Option<string?>("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };
        var command = new Command("scale", "generate (or reuse) a synthetic store of COCO size (118k train, 5k held-out, 500k objects) and time the pages' reads: gallery, influencers, queue, flag write, export")
            { train, heldOut, objects, topK, dtype, seed, repeats, provider, connection, dataRoot, config };
        command.SetAction(r =>
        {
            try
            {
                var shape = new ScaleShape(r.GetValue(train), r.GetValue(heldOut), r.GetValue(objects), r.GetValue(topK), ScoreCodec.Parse(r.GetValue(dtype)!), r.GetValue(seed));
                string chosen = r.GetValue(provider)!;
                string BenchFolder() => Path.Combine(PathResolver.Resolve(WorkerSettings.Load(r.GetValue(config)).DataRoot), "bench-scale");
                string where = r.GetValue(connection) ?? (chosen == ScaleStoreFactory.Postgres
                    ? throw new ArgumentException("--connection: give the PostgreSQL connection string (Host=…;Database=…;Username=…)")
                    : Path.Combine(BenchFolder(), "scale.db"));
                string? root = r.GetValue(dataRoot) ?? (chosen == ScaleStoreFactory.Postgres ? BenchFolder() : null);
                using var store = ScaleStoreFactory.Open(chosen, where, root);
                var report = ScaleBench.Run(store, shape, r.GetValue(repeats), line => AnsiConsole.WriteLine(line));
                Print(report);
                return report.WithinBudgets ? 0 : 2;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or KeyNotFoundException)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(ScaleReport report)
    {
        var s = report.Shape;
        var table = new Table().Title(Markup.Escape($"bench scale: {s.Train} train × {s.HeldOut} held-out, {s.Objects} objects, top-{s.TopK}, {s.Dtype}; {report.Store}"))
            .AddColumns("page read", "calls", "p50 ms", "p95 ms", "max ms", "budget (p95)", "rows", "");
        foreach (var f in report.Figures)
            table.AddRow(Markup.Escape(f.Name), f.Calls.ToString(), f.P50Ms.ToString("F1"), f.P95Ms.ToString("F1"), f.MaxMs.ToString("F1"),
                $"< {f.BudgetMs:F0} ms", f.Shape.Items.ToString(), f.WithinBudget ? "[green]ok[/]" : "[red]over[/]");
        AnsiConsole.Write(table);
        // Other processes' load moves every wall-clock figure: print it with them.
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
        AnsiConsole.WriteLine($"processors: {Environment.ProcessorCount}; load average after the bench: {load}; store generated or found in {report.GenerateSeconds:F1} s");
        foreach (var f in report.Figures)
            AnsiConsole.WriteLine($"| {f.Name} | {f.P50Ms:F1} | {f.P95Ms:F1} | < {f.BudgetMs:F0} | {f.Shape.Items} |");
        AnsiConsole.MarkupLine(report.WithinBudgets ? "[green]every budget met[/]" : "[red]budgets missed:[/] " +
            Markup.Escape(string.Join(", ", report.Figures.Where(f => !f.WithinBudget).Select(f => $"{f.Name} (p95 {f.P95Ms:F1} ms)"))));
    }
}
