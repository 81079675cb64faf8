using System.CommandLine;
using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>The worker's verbs: demo (everything on the embedded demo), import-coco, train, trak.</summary>
public static class WorkerCommands
{
    private static readonly Option<string?> Config = new("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };

    public static IEnumerable<Command> All() => [Demo(), ImportCoco(), Train(), Trak(), Similarity(), Serve(), Bench(), Eval(), Study.StudyCommand.Create()];

    private static Command Demo()
    {
        var command = new Command("demo", "generate the demo dataset → import → train checkpoints → TRAK (image, class, object) → MoCo, ESVM, cosine (and CLIP if configured) → rank agreement → SQLite; completed steps are skipped") { Config };
        command.SetAction(r => Execute(r, context =>
        {
            var dataset = DemoStep.EnsureImported(context);
            var demo = context.Options.Demo;
            var checkpoints = TrainStep.Run(context, dataset, demo.Model, demo.Training);
            TrakStep.Run(context, dataset, demo.Model, demo.Trak, checkpoints);
            SimilarityStep.Run(context, dataset, demo.Similarity, context.Options.Clip);
            AgreementStep.Run(context, dataset);
        }));
        return command;
    }

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
                [(r.GetValue(train)!, Splits.Train), (r.GetValue(val)!, Splits.Val)], r.GetValue(planted)));
            context.Summary.Add(("import-coco", $"dataset {id}: {context.Datasets.CountImages(id, Splits.Train)} train, {context.Datasets.CountImages(id, Splits.Val)} val", clock.Elapsed.TotalSeconds));
        }));
        return command;
    }

    private static readonly Option<string> Dataset = new("--dataset") { Description = "dataset name", Required = true };
    private static readonly Option<bool> DemoSizes = new("--demo-sizes") { Description = "use the Demo section's model/training/TRAK sizes" };

    private static Command Train()
    {
        var command = new Command("train", "train one checkpoint per configured seed (existing identical checkpoints are kept)") { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var (model, training, _) = Sizes(context, r.GetValue(DemoSizes));
            TrainStep.Run(context, context.RequireDataset(r.GetValue(Dataset)!), model, training);
        }));
        return command;
    }

    private static Command Trak()
    {
        var command = new Command("trak", "compute TRAK scores (full image, per class, per object) for every held-out target × training image") { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var (model, training, trak) = Sizes(context, r.GetValue(DemoSizes));
            var dataset = context.RequireDataset(r.GetValue(Dataset)!);
            var checkpoints = TrainStep.Existing(context, dataset, model, training);
            TrakStep.Run(context, dataset, model, trak, checkpoints);
        }));
        return command;
    }

    private static Command Similarity()
    {
        var command = new Command("similarity", "train the MoCo encoder, rank by Exemplar-SVM and cosine similarity (CLIP too when configured), then compute rank agreement with TRAK")
            { Dataset, DemoSizes, Config };
        command.SetAction(r => Execute(r, context =>
        {
            var dataset = context.RequireDataset(r.GetValue(Dataset)!);
            SimilarityStep.Run(context, dataset, r.GetValue(DemoSizes) ? context.Options.Demo.Similarity : context.Options.Similarity, context.Options.Clip);
            AgreementStep.Run(context, dataset);
        }));
        return command;
    }

    private static Command Serve()
    {
        var once = new Option<bool>("--once") { Description = "run the jobs queued now, then exit" };
        var poll = new Option<int>("--poll-ms") { Description = "how often to look for new jobs", DefaultValueFactory = _ => 500 };
        var command = new Command("serve", "do the on-demand jobs the web app queues (attribute a region) until stopped") { once, poll, Config };
        command.SetAction(r => Execute(r, context =>
        {
            string name = $"{Environment.MachineName}:{Environment.ProcessId}";
            using var loop = new Serve.JobLoop(context, name, line => AnsiConsole.WriteLine(line));
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
            AnsiConsole.MarkupLine($"[grey]serving jobs as {Markup.Escape(name)}; Ctrl+C stops[/]");
            loop.Run(TimeSpan.FromMilliseconds(r.GetValue(poll)), stop.Token);
        }));
        return command;
    }

    private static Command Eval()
    {
        var command = new Command("eval", "evaluations of the attributions (seeded, resumable, results in SQLite and on the Evaluation page)");
        foreach (var (verb, description) in new[]
        {
            ("label-errors", "precision/recall@k, AUROC, AUPRC of finding the known label errors: TRAK overall influence vs model confidence vs random"),
            ("curation", "remove the most negative N% by overall influence (one half of the held-out images), retrain, mIoU on the other half"),
            ("lds", "linear datamodeling score per method over random α-subsets (one model per subset, shared by all methods)"),
            ("counterfactual", "remove each method's top-k for class targets, retrain, increase of the target's loss"),
            ("brittleness", "smallest top-k removal that breaks a class target, by bisection with a retraining budget"),
            ("all", "all five, cheapest first"),
        })
        {
            var sub = new Command(verb, description) { Dataset, DemoSizes, Config };
            sub.SetAction(r => Execute(r, context =>
            {
                var (model, training, _) = Sizes(context, r.GetValue(DemoSizes));
                var kinds = verb == "all" ? Core.Evaluation.EvaluationKinds.All : [Evaluations.EvaluationRunner.VerbToKind[verb]];
                Evaluations.EvaluationRunner.Run(context, context.RequireDataset(r.GetValue(Dataset)!), model, training, kinds);
            }));
            command.Subcommands.Add(sub);
        }
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
        command.SetAction(r => Execute(r, context => AttributionExplorer.Worker.Bench.BenchStep.Run(context, new AttributionExplorer.Worker.Bench.BenchRequest(r.GetValue(device), r.GetValue(train),
            r.GetValue(targets), r.GetValue(k), r.GetValue(batch), r.GetValue(full), r.GetValue(threads)))));
        return command;
    }

    private static (Core.Options.ModelOptions, Core.Options.TrainingOptions, Core.Options.TrakOptions) Sizes(PipelineContext context, bool demo) =>
        demo ? (context.Options.Demo.Model, context.Options.Demo.Training, context.Options.Demo.Trak)
             : (context.Options.Model, context.Options.Training, context.Options.Trak);

    private static int Execute(ParseResult result, Action<PipelineContext> work)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var context = new PipelineContext(WorkerSettings.Load(result.GetValue(Config)));
            AnsiConsole.MarkupLine($"[grey]database: {Markup.Escape(context.Database.Path)}[/]");
            work(context);
            var table = new Table().Title("Summary").AddColumns("step", "result", "seconds");
            foreach (var (step, outcome, seconds) in context.Summary) table.AddRow(Markup.Escape(step), Markup.Escape(outcome), seconds.ToString("F1"));
            table.AddRow("[bold]total[/]", "", clock.Elapsed.TotalSeconds.ToString("F1"));
            AnsiConsole.Write(table);
            return 0;
        }
        catch (Exception e) when (e is CocoFormatException or InvalidOperationException or ArgumentException or IOException or InvalidDataException or KeyNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
