using System.CommandLine;
using System.Diagnostics;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak.Sharded;
using Spectre.Console;

namespace AttributionExplorer.Worker.Commands;

/// <summary>`trak-shard plan|featurize|finalize|score|merge|compare`: TRAK split over processes or cluster nodes that
/// share one directory (README, "Running on a cluster"). plan and merge open the database; the three stages do not.</summary>
public static class TrakShardCommand
{
    private static readonly Option<string> Dir = new("--dir") { Description = "the shared directory (NFS/Lustre/PVC path every shard can read and write)", Required = true };
    private static readonly Option<string> Shard = new("--shard") { Description = "which shard this process computes: i/N with 0 ≤ i < N", Required = true };

    public static Command Create()
    {
        var command = new Command("trak-shard", "TRAK in shards over a shared directory: plan → featurize --shard i/N → finalize --shard i/N → score --shard i/N → merge (the one step that writes the database)");
        command.Subcommands.Add(Plan());
        foreach (var stage in ShardStages.All) command.Subcommands.Add(Stage(stage));
        command.Subcommands.Add(Merge());
        command.Subcommands.Add(Compare());
        return command;
    }

    private static Command Plan()
    {
        var command = new Command("plan", "read the dataset and its complete training runs from the database and write plan.json plus the inputs the shards read (checkpoint copies, model-resolution pixels and labels, target-planning data) into --dir")
            { WorkerCommands.Dataset, WorkerCommands.DemoSizes, Dir, WorkerCommands.Config };
        command.SetAction(r => WorkerCommands.Execute(r, context =>
        {
            var clock = Stopwatch.StartNew();
            var plan = ShardPlanner.Write(context, context.RequireDataset(r.GetValue(WorkerCommands.Dataset)!), PipelineSizes.Of(context.Options, r.GetValue(WorkerCommands.DemoSizes)), r.GetValue(Dir)!);
            Console.WriteLine($"plan: {plan.FeaturizeUnits.Count} featurize units (checkpoint × range), {plan.Checkpoints.Count} finalize units (checkpoints), {plan.Kinds.Sum(k => k.Targets)} targets ({clock.Elapsed.TotalSeconds:F1} s)");
        }));
        return command;
    }

    private static Command Stage(string stage)
    {
        string what = stage switch
        {
            ShardStages.Featurize => "projected train-loss gradients of this shard's (checkpoint, range of training images) units",
            ShardStages.Finalize => "kernel, its inverse (the scoring matrix) and spectrum of this shard's checkpoints, from the featurize shards",
            _ => "target gradients of this shard's range of every kind's targets under every checkpoint, scored against the finalize shards' matrices",
        };
        var command = new Command(stage, $"{what}; reads only --dir (never the database), skips a shard whose manifest verifies, redoes one that does not") { Dir, Shard, WorkerCommands.Config };
        command.SetAction(r => WithoutDatabase(r, options =>
        {
            var clock = Stopwatch.StartNew();
            string done = ShardStages.Run(stage, r.GetValue(Dir)!, ShardSpec.Parse(r.GetValue(Shard)!), options);
            Console.WriteLine($"{done} ({clock.Elapsed.TotalSeconds:F1} s)");
        }));
        return command;
    }

    private static Command Merge()
    {
        var command = new Command("merge", "verify every shard's manifest (sizes, SHA-256) and record the featurize, finalize and score runs in the database, the same runs a single process records; refuses, writing nothing, when a shard is missing or corrupt")
            { Dir, WorkerCommands.Config };
        command.SetAction(r => WorkerCommands.Execute(r, context =>
        {
            var runs = ShardMerge.Run(context, r.GetValue(Dir)!);
            Console.WriteLine("merged: " + string.Join(", ", runs.Select(k => $"{k.Key}: run {k.Value}")));
        }));
        return command;
    }

    private static Command Compare()
    {
        var referenceDb = new Option<string>("--reference-db") { Description = "database holding the reference runs (e.g. a single-process TRAK of the same inputs)", Required = true };
        var referenceData = new Option<string>("--reference-data-root") { Description = "that database's data root", Required = true };
        var tolerance = new Option<double>("--max-relative-difference") { Description = "exit 1 when a score differs by more (default 1e-4)", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("compare", "compare this database's TRAK runs of --dataset with the runs of the same identity in a reference database: the float32 per-checkpoint scores and the stored scores; prints the maximum relative difference")
            { WorkerCommands.Dataset, referenceDb, referenceData, tolerance, WorkerCommands.Config };
        command.SetAction(r =>
        {
            double worst = double.NaN;
            int rc = WorkerCommands.Execute(r, context =>
            {
                var comparisons = ShardComparison.Run(context, context.RequireDataset(r.GetValue(WorkerCommands.Dataset)!), r.GetValue(referenceDb)!, r.GetValue(referenceData)!);
                foreach (var c in comparisons)
                    Console.WriteLine($"TRAK {c.Kind}: run {c.RunId} vs reference run {c.ReferenceRunId} (same identity: {(c.SameIdentity ? "yes" : "NO")}), " +
                        $"{c.Checkpoints} checkpoints × {c.Scores / Math.Max(1, c.Checkpoints):N0} float32 scores: max relative difference {c.MaxRelativeDifference:E2} " +
                        $"(max |difference| {c.MaxAbsoluteDifference:E2}, largest |score| {c.LargestScore:E2}); stored scores differing: {c.StoredDiffering:N0} of {c.StoredScores:N0}" +
                        (c.StoredDiffering > 0 ? $" (max relative {c.StoredMaxRelativeDifference:E2})" : ""));
                worst = comparisons.Max(c => c.MaxRelativeDifference);
                if (comparisons.Any(c => !c.SameIdentity)) throw new InvalidOperationException("a run's identity differs from the reference's: the two computations did not have the same inputs");
            });
            if (rc != 0) return rc;
            Console.WriteLine($"maximum relative difference to the reference: {worst:E3} (tolerance {r.GetValue(tolerance):E0})");
            return worst <= r.GetValue(tolerance) ? 0 : 1;
        });
        return command;
    }

    /// <summary>The shard stages' runner: settings only (device, gradient method), no database; errors as one line.</summary>
    private static int WithoutDatabase(ParseResult result, Action<AppOptions> work)
    {
        try
        {
            work(WorkerSettings.Load(result.GetValue(WorkerCommands.Config)));
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or InvalidDataException or KeyNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
