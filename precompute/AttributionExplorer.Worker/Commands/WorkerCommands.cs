using System.CommandLine;
using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>The worker's verbs. `rank` and `eval` are built from <see cref="PluginRegistry"/>: a registered method or
/// evaluation gets its subcommand without an edit here.</summary>
public static class WorkerCommands
{
    internal static readonly Option<string?> Config = new("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };

    public static IEnumerable<Command> All() => [Demo(), ImportCoco(), Train(), Trak(), Similarity(), Rank(), Serve(), Bench(), Eval(), Runs(), TrakShardCommand.Create(), BackupCommand.Create(), RestoreCommand.Create(), UsersCommand.Create(), Study.StudyCommand.Create()];

    private static Command Demo()
    {
        var trainOnly = new Option<bool>("--train-only") { Description = "stop after generating, importing and training (e.g. before a sharded TRAK run, README \"Running on a cluster\")" };
        var command = new Command("demo", "generate the demo dataset → import → train checkpoints → every registered ranking method (TRAK for image, class, object targets; MoCo, ESVM, cosine, CLIP if configured; label-error detectors) → rank agreement, into the configured database (SQLite or PostgreSQL); completed runs are reused") { trainOnly, Config };
        command.SetAction(r => Execute(r, context =>
        {
            if (!r.GetValue(trainOnly))
            {
                DemoPipeline.Run(context);
                return;
            }
            var sizes = PipelineSizes.Of(context.Options, demo: true);
            TrainStep.Run(context, DemoStep.EnsureImported(context), sizes.Model, sizes.Training);
        }));
        return command;
    }

    private static void RunMethod(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, IRankingMethod method) =>
        DemoPipeline.RunMethod(context, dataset, sizes, method);

    private static Command ImportCoco()
    {
        var name = new Option<string>("--name") { Description = "dataset name", Required = true };
        var images = new Option<string>("--images") { Description = "folder that image file_names are relative to", Required = true };
        var train = new Option<string>("--train-json") { Description = "COCO instances JSON of the training split", Required = true };
        var val = new Option<string>("--val-json") { Description = "COCO instances JSON of the held-out split", Required = true };
        var planted = new Option<string?>("--planted-errors") { Description = "optional JSON list of known label errors" };
        var command = new Command("import-coco", "import a COCO-format segmentation dataset (validated completely before anything is written)")
            { name, images, train, val, planted, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var clock = Stopwatch.StartNew();
            long id = CocoImporter.Import(context.Datasets, new CocoImportRequest(r.GetValue(name)!, r.GetValue(images)!,
                [(r.GetValue(train)!, Splits.Train), (r.GetValue(val)!, Splits.Val)], r.GetValue(planted), context.Options.ImageLimits.Dataset));
            context.Summary.Add(("import-coco", $"dataset {id}: {context.Datasets.CountImages(id, Splits.Train)} train, {context.Datasets.CountImages(id, Splits.Val)} val", clock.Elapsed.TotalSeconds));
        }));
        return command;
    }

    internal static readonly Option<string> Dataset = new("--dataset") { Description = "dataset name", Required = true };
    internal static readonly Option<bool> DemoSizes = new("--demo-sizes") { Description = "use the Demo section's model/training/TRAK sizes" };

    private static Command Train()
    {
        var command = new Command("train", "train one checkpoint per configured seed (complete training runs with identical parameters are reused)") { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var sizes = PipelineSizes.Of(context.Options, r.GetValue(DemoSizes));
            TrainStep.Run(context, context.RequireDataset(r.GetValue(Dataset)!), sizes.Model, sizes.Training);
        }));
        return command;
    }

    private static Command Trak()
    {
        var command = new Command("trak", "TRAK (full image, per class, per object) for every held-out target × training image: staged runs featurize → finalize → score (same as `rank trak`)") { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context => RunMethod(context, context.RequireDataset(r.GetValue(Dataset)!),
            PipelineSizes.Of(context.Options, r.GetValue(DemoSizes)), PluginRegistry.Method(AttributionMethods.Trak))));
        return command;
    }

    private static Command Similarity()
    {
        var command = new Command("similarity", "train the MoCo encoder, rank by Exemplar-SVM and cosine similarity (CLIP too when configured), then compute rank agreement with TRAK")
            { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var dataset = context.RequireDataset(r.GetValue(Dataset)!);
            var sizes = PipelineSizes.Of(context.Options, r.GetValue(DemoSizes));
            foreach (var name in new[] { AttributionMethods.Esvm, AttributionMethods.MocoCosine, AttributionMethods.ClipCosine })
                RunMethod(context, dataset, sizes, PluginRegistry.Method(name));
            AgreementStep.Run(context, dataset);
        }));
        return command;
    }

    /// <summary>`rank {method}`: one subcommand per registered ranking method.</summary>
    private static Command Rank()
    {
        var command = new Command("rank", "compute one registered ranking method's runs (per-target attributions and similarities, or label-error detectors over the training images)");
        foreach (var method in PluginRegistry.RankingMethods)
        {
            var sub = new Command(method.Info.Name, $"{method.Info.Title}: {method.Info.Description}") { Dataset, DemoSizes, Config };
            sub.SetAction(r => Execute(r, context =>
            {
                var dataset = context.RequireDataset(r.GetValue(Dataset)!);
                RunMethod(context, dataset, PipelineSizes.Of(context.Options, r.GetValue(DemoSizes)), method);
                if (method.Info.Scope == RankingScope.PerTarget) AgreementStep.Run(context, dataset);
            }));
            command.Subcommands.Add(sub);
        }
        return command;
    }

    private static Command Serve()
    {
        var once = new Option<bool>("--once") { Description = "run the jobs queued now, then exit" };
        var poll = new Option<int>("--poll-ms") { Description = "how often to look for new jobs", DefaultValueFactory = _ => 500 };
        var command = new Command("serve", "do the on-demand jobs the web app queues (attribute a region) until stopped; each job holds a lease, so a killed worker's job is picked up again") { once, poll, Config };
        command.SetAction(r => Execute(r, context =>
        {
            using var loop = new Serve.JobLoop(context, line => AnsiConsole.WriteLine(line));
            if (r.GetValue(once))
            {
                var clock = Stopwatch.StartNew();
                int ran = loop.Drain();
                context.Summary.Add(("serve --once", $"{ran} jobs", clock.Elapsed.TotalSeconds));
                return;
            }
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
            AnsiConsole.MarkupLine($"[grey]serving jobs as {Markup.Escape(context.WorkerName)}; Ctrl+C stops[/]");
            loop.Run(TimeSpan.FromMilliseconds(r.GetValue(poll)), stop.Token);
        }));
        return command;
    }

    /// <summary>`eval {verb}`: one subcommand per registered evaluation, plus `all`.</summary>
    private static Command Eval()
    {
        var command = new Command("eval", "evaluations of the attributions (seeded, resumable runs; results on the Evaluation page)");
        var choices = PluginRegistry.Evaluations.Select(e => (Verb: e.Info.Verb, Description: e.Info.Explanation, Chosen: (IReadOnlyList<IEvaluation>)[e]))
            .Append((Verb: "all", Description: "all registered evaluations, cheapest first", Chosen: PluginRegistry.Evaluations));
        foreach (var evaluation in choices)
        {
            var sub = new Command(evaluation.Verb, evaluation.Description) { Dataset, DemoSizes, Config };
            sub.SetAction(r => Execute(r, context =>
            {
                var sizes = PipelineSizes.Of(context.Options, r.GetValue(DemoSizes));
                Evaluations.EvaluationRunner.Run(context, context.RequireDataset(r.GetValue(Dataset)!), sizes.Model, sizes.Training, evaluation.Chosen);
            }));
            command.Subcommands.Add(sub);
        }
        return command;
    }

    /// <summary>`runs`: the run ledger of a dataset, newest first.</summary>
    private static Command Runs()
    {
        var kind = new Option<string?>("--kind") { Description = "only runs of this kind (e.g. train, trak.featurize, rank.trak, eval.lds, job.trak_region)" };
        var limit = new Option<int>("--limit") { Description = "at most this many", DefaultValueFactory = _ => 50 };
        var command = new Command("runs", "list the run ledger of a dataset: kind, state, lease, attempts, seconds, error") { Dataset, kind, limit, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var dataset = context.RequireDataset(r.GetValue(Dataset)!);
            var table = new Table().AddColumns("id", "kind", "state", "lease", "attempts", "seconds", "finished (UTC)", "error");
            foreach (var run in context.Ledger.List(dataset.Id, r.GetValue(kind)).Take(r.GetValue(limit)))
                table.AddRow(run.Id.ToString(), Markup.Escape(run.Kind), run.State.ToString().ToLowerInvariant(),
                    Markup.Escape(run.LeaseOwner is null ? "" : $"{run.LeaseOwner} until {run.LeaseExpiresUtc:HH:mm:ss}"), run.Attempts.ToString(),
                    run.Seconds.ToString("F1"), run.FinishedUtc?.ToString("yyyy-MM-dd HH:mm:ss") ?? "", Markup.Escape(run.Error ?? ""));
            AnsiConsole.Write(table);
        }));
        return command;
    }

    private static Command Bench()
    {
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N (default: the Device setting)" };
        var train = new Option<int>("--train") { Description = "training examples to featurize", DefaultValueFactory = _ => 96 };
        var targets = new Option<int>("--targets") { Description = "targets to score against them", DefaultValueFactory = _ => 256 };
        var k = new Option<int?>("--k") { Description = "projection dimension (default: the TRAK setting)" };
        var batch = new Option<int?>("--batch") { Description = "per-example-gradient batch (default: the TRAK setting)" };
        var full = new Option<bool>("--full-size") { Description = "use the Model/Trak sections instead of the Demo ones" };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (default 1, see README)" };
        var command = new Command("bench", "TRAK throughput: per-example gradients + projection (examples/s) and scoring (pairs/s), with in-process baselines")
            { device, train, targets, k, batch, full, threads, Config };
        command.Subcommands.Add(BenchScaleCommand.Create());
        command.SetAction(r => Execute(r, context => AttributionExplorer.Worker.Bench.BenchStep.Run(context, new AttributionExplorer.Worker.Bench.BenchRequest(r.GetValue(device), r.GetValue(train),
            r.GetValue(targets), r.GetValue(k), r.GetValue(batch), r.GetValue(full), r.GetValue(threads)))));
        return command;
    }

    internal static int Execute(ParseResult result, Action<PipelineContext> work)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var context = new PipelineContext(WorkerSettings.Load(result.GetValue(Config)));
            AnsiConsole.MarkupLine($"[grey]database: {Markup.Escape(context.Storage.Location)}[/]");
            work(context);
            var table = new Table().Title("Summary").AddColumns("step", "result", "seconds");
            foreach (var (step, outcome, seconds) in context.Summary) table.AddRow(Markup.Escape(step), Markup.Escape(outcome), seconds.ToString("F1"));
            table.AddRow("[bold]total[/]", "", clock.Elapsed.TotalSeconds.ToString("F1"));
            AnsiConsole.Write(table);
            foreach (string warning in context.Warnings.Distinct()) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            if (context.Warnings.Count > 0) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(Core.LabelErrors.KernelRegime.Rule)}.[/]");
            return 0;
        }
        catch (Exception e) when (e is CocoFormatException or InvalidOperationException or ArgumentException or IOException or InvalidDataException or KeyNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
