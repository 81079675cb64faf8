using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Tests.Pipeline;
using AttributionExplorer.Tests.Shared;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Plugins;
using Npgsql;

namespace AttributionExplorer.Precompute.Tests.Serve;

/// <summary>Four `precompute serve` processes (the real program, as on four machines) share one PostgreSQL database
/// holding a tiny dataset with its TRAK scoring matrices. Region jobs queued as the web app queues them are each done
/// exactly once, by more than one worker, and their results are stored once. The processes are stopped however the
/// test ends (<see cref="FixtureProcesses"/>).</summary>
public sealed partial class ServeProcessesOnPostgresTests : IDisposable
{
    private const int Workers = 4, Regions = 20, Copies = 2;
    private readonly string root = Directory.CreateTempSubdirectory("ae-pg-serve").FullName;
    private readonly FixtureProcesses processes = new();

    public void Dispose()
    {
        processes.Dispose();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [SkippableFact]
    public void FourServeProcessesDoEveryQueuedRegionJobExactlyOnce()
    {
        var setup = Stopwatch.StartNew();
        using var database = PostgresCluster.Require().CreateDatabase();
        var options = TinyDemo.Options(root);
        options.Storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = database.ConnectionString };
        var context = new PipelineContext(options);
        using var storage = context.Storage;
        var dataset = DemoStep.EnsureImported(context);
        DemoPipeline.RunMethod(context, dataset, PipelineSizes.Of(options, demo: true), PluginRegistry.Method(AttributionMethods.Trak));
        var trak = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        Assert.NotEmpty(context.ScoringMatrices.Get(trak.Id));

        Console.WriteLine($"dataset ready after {setup.Elapsed.TotalSeconds:F1} s");
        var workers = StartWorkers(database.ConnectionString, options.DataRoot);
        // Each region twice (its two jobs are queued far apart, so different workers tend to take them): both copies must
        // come out the same, whichever process scored them.
        var val = context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 100);
        var requests = Enumerable.Range(0, Regions).Select(r => Box(val[r % val.Count], r)).ToList();
        var jobs = Enumerable.Range(0, Copies).SelectMany(_ => requests)
            .Select(request => (Request: request, Id: context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, request))).ToList();

        var clock = Stopwatch.StartNew();
        Console.WriteLine($"workers serving after {setup.Elapsed.TotalSeconds:F1} s");
        while (jobs.Any(j => context.Jobs.Get(j.Id)!.Status is JobStatus.Queued or JobStatus.Running))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"jobs still open after 2 min:\n{Logs(workers)}");
            Thread.Sleep(200);
        }
        Console.WriteLine($"jobs done after {setup.Elapsed.TotalSeconds:F1} s");
        processes.Dispose();

        var done = jobs.Select(j => context.Jobs.Get(j.Id)!).ToList();
        Assert.All(done, j => Assert.True(j.Status == JobStatus.Done, $"job {j.Id}: {j.Status} {j.Error}\n{Logs(workers)}"));
        Assert.All(jobs, j => Assert.Equal(1, context.Ledger.Get(j.Id)!.Attempts));
        // Every job in exactly one worker's log.
        var doneBy = workers.SelectMany(w => DoneLine().Matches(w.Text).Select(m => (Job: long.Parse(m.Groups[1].Value), w.Name))).ToList();
        Assert.Equal(jobs.Select(j => j.Id).Order(), doneBy.Select(d => d.Job).Order());
        Console.WriteLine("jobs per worker: " + string.Join(", ", doneBy.GroupBy(d => d.Name).Select(g => $"{g.Key} {g.Count()}")));
        Assert.True(doneBy.Select(d => d.Name).Distinct().Count() > 1, $"one worker did every job: the queue was not shared\n{Logs(workers)}");

        // Results stored once: one on-demand run holding one region target per job.
        var region = Assert.Single(context.RankingRuns.ListComplete(dataset.Id), r => r.TargetKind == TargetKinds.Region);
        var targets = context.Scores.GetTargetsOfRun(region.Id);
        Assert.Equal(done.Select(j => j.ResultTargetId!.Value).Order(), targets.Select(t => t.Id).Order());
        int trainCount = context.RankingRuns.GetTrainOrder(trak.Id).Count;
        foreach (var copies in jobs.GroupBy(j => j.Request))
        {
            var scores = copies.Select(j => context.Scores.GetScores(done.Single(d => d.Id == j.Id).ResultTargetId!.Value)).ToList();
            Assert.Equal(trainCount, scores[0].Length);
            Assert.All(scores[0], s => Assert.True(float.IsFinite(s)));
            Assert.All(scores.Skip(1), other => Assert.Equal(scores[0], other));
        }
    }

    /// <summary>A box of image pixels that differs per <paramref name="n"/>, as the web app queues it.</summary>
    private static string Box(ImageRecord image, int n)
    {
        int size = image.Width / 3 + n % 5, x0 = n * 3 % (image.Width - size), y0 = n * 7 % (image.Height - size);
        var mask = new bool[image.Height * image.Width];
        for (int y = y0; y < y0 + size; y++) for (int x = x0; x < x0 + size; x++) mask[y * image.Width + x] = true;
        string counts = RleCodec.ToCompressedString(RleCodec.Encode(mask, image.Height, image.Width).Counts);
        return JsonSerializer.Serialize(new RegionJobRequest(image.Id, image.Height, image.Width, counts, $"box {n}"),
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    private sealed record ServeProcess(Process Process, StringBuilder Output)
    {
        public string Text { get { lock (Output) return Output.ToString(); } }
        /// <summary>The name it holds leases under (host:pid:suffix), once it has printed it.</summary>
        public string Name => ServingAs().Match(Text).Groups[1].Value;
    }

    /// <summary>Starts the workers with the storage settings in the environment, as README's cluster section says, and
    /// waits until each is polling the queue.</summary>
    private List<ServeProcess> StartWorkers(string connectionString, string dataRoot)
    {
        string home = Path.Combine(root, "home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "appsettings.json"), JsonSerializer.Serialize(new { AttributionExplorer = new { DataRoot = dataRoot } }));
        string program = Path.Combine(AppContext.BaseDirectory, "precompute.dll");
        var workers = new List<ServeProcess>();
        for (int i = 0; i < Workers; i++)
        {
            var start = new ProcessStartInfo("dotnet") { ArgumentList = { program, "serve", "--poll-ms", "100" }, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment[PathResolver.HomeVariable] = home;
            start.Environment["AE_AttributionExplorer__Storage__Provider"] = StorageOptions.Postgres;
            start.Environment["AE_AttributionExplorer__Storage__ConnectionString"] = connectionString;
            var process = processes.Start(start);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            workers.Add(new ServeProcess(process, output));
        }
        var clock = Stopwatch.StartNew();
        while (workers.Any(w => w.Name == ""))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && workers.All(w => !w.Process.HasExited), $"a worker did not start serving:\n{Logs(workers)}");
            Thread.Sleep(100);
        }
        return workers;
    }

    private static string Logs(IEnumerable<ServeProcess> workers) =>
        string.Join("\n", workers.Select((w, i) => $"--- worker {i} ---\n{w.Text}"));

    [GeneratedRegex(@"serving jobs as (\S+);")]
    private static partial Regex ServingAs();

    [GeneratedRegex(@"job (\d+) \(trak_region\) done")]
    private static partial Regex DoneLine();
}
