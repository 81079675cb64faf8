using System.Collections.Concurrent;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Storage.Postgres;
using AttributionExplorer.Storage.Repositories;
using static AttributionExplorer.Storage.Tests.Contracts.SampleData;

namespace AttributionExplorer.Storage.Tests.Postgres;

/// <summary>Several `precompute serve` workers (each its own process and connection pool, as on separate machines) share
/// one PostgreSQL job queue: each worker here is a thread with its own <see cref="PostgresDatabase"/>, running the serve
/// loop's claim → execute cycle (ledger ClaimNext with FOR UPDATE SKIP LOCKED, then the run executor with its lease).</summary>
public sealed class SharedQueueTests
{
    private static readonly string[] Kinds = [JobRepository.RunKind(JobKinds.TrakRegion)];
    private const int MaxAttempts = 3;

    [SkippableFact]
    public void FourWorkersDoEveryJobOfOneQueueExactlyOnce()
    {
        using var s = new PostgresStorageUnderTest();
        var d = ImportDataset(s);
        var jobs = Enumerable.Range(0, 200).Select(i => s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, $"{{\"n\":{i}}}")).ToArray();

        var executions = new ConcurrentDictionary<long, ConcurrentBag<string>>();
        var done = RunWorkers(s, 4, (worker, backend) =>
        {
            var executor = new RunExecutor(backend.Ledger, worker, TimeSpan.FromMinutes(1));
            int ran = 0;
            while (backend.Ledger.ClaimNext(Kinds, worker, TimeSpan.FromMinutes(1), DateTime.UtcNow, MaxAttempts) is { } run)
            {
                executor.Execute(run, scope =>
                {
                    executions.GetOrAdd(run.Id, _ => []).Add(worker);
                    Assert.True(backend.Jobs.ReportProgress(run.Id, worker, 0.5, "half"));
                    scope.Unit("only", () => worker);
                    Thread.Sleep(2); // a job takes time, so the workers overlap
                    return new JobRepository.JobResult(null, null);
                });
                ran++;
            }
            return ran;
        });

        Assert.Equal(jobs.Order(), executions.Keys.Order());
        Assert.All(executions, e => Assert.Single(e.Value));
        Assert.Equal(jobs.Length, done.Values.Sum());
        Assert.All(done, w => Assert.True(w.Value > 0, $"{w.Key} did no job: the queue was not shared"));
        foreach (long id in jobs)
        {
            var run = s.Ledger.Get(id)!;
            string worker = Assert.Single(executions[id]);
            Assert.Equal((RunState.Complete, 1), (run.State, run.Attempts));
            Assert.Equal($"\"{worker}\"", s.Ledger.Units(id)["only"].ValueJson);
            Assert.Equal((JobStatus.Done, 1.0), (s.Jobs.Get(id)!.Status, s.Jobs.Get(id)!.Progress));
        }
    }

    [SkippableFact]
    public void JobsOfAWorkerWhoseLeaseExpiredGoToExactlyOneOtherWorker()
    {
        using var s = new PostgresStorageUnderTest();
        var d = ImportDataset(s);
        var jobs = Enumerable.Range(0, 40).Select(i => s.Jobs.Enqueue(d.Id, JobKinds.TrakRegion, "{}")).ToArray();
        var t0 = DateTime.UtcNow;
        // A worker claims every job, then stops without a heartbeat (killed).
        for (int i = 0; i < jobs.Length; i++) Assert.NotNull(s.Ledger.ClaimNext(Kinds, "crashed", TimeSpan.FromSeconds(30), t0, MaxAttempts));
        Assert.Null(s.Ledger.ClaimNext(Kinds, "early", TimeSpan.FromSeconds(30), t0 + TimeSpan.FromSeconds(10), MaxAttempts));

        var later = t0 + TimeSpan.FromMinutes(1);
        var takers = new ConcurrentDictionary<long, ConcurrentBag<string>>();
        RunWorkers(s, 4, (worker, backend) =>
        {
            int ran = 0;
            while (backend.Ledger.ClaimNext(Kinds, worker, TimeSpan.FromMinutes(5), later, MaxAttempts) is { } run)
            {
                takers.GetOrAdd(run.Id, _ => []).Add(worker);
                backend.Ledger.Complete(run.Id, worker, "{}", 0.1);
                ran++;
            }
            return ran;
        });

        Assert.Equal(jobs.Order(), takers.Keys.Order());
        Assert.All(takers, t => Assert.Single(t.Value));
        foreach (long id in jobs)
        {
            var run = s.Ledger.Get(id)!;
            Assert.Equal((RunState.Complete, 2), (run.State, run.Attempts));
            // The crashed worker's late writes change nothing.
            Assert.Throws<RunLeaseLostException>(() => s.Ledger.SaveUnit(id, "crashed", new RunUnit("late", "1", 0)));
            Assert.Throws<RunLeaseLostException>(() => s.Ledger.Complete(id, "crashed", "{\"late\":true}", 1));
            Assert.Equal("{}", s.Ledger.Get(id)!.ResultJson);
        }
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="workers"/> threads released together, each with its
    /// own connection pool on the same database; returns what each returned, by worker name.</summary>
    private static Dictionary<string, int> RunWorkers(PostgresStorageUnderTest s, int workers, Func<string, StorageBackend, int> work)
    {
        var results = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentBag<Exception>();
        using var start = new Barrier(workers);
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            string name = $"host{w}:{1000 + w}";
            using var backend = PostgresStorage.On(new PostgresDatabase(s.ConnectionString, s.DataRoot));
            start.SignalAndWait();
            try { results[name] = work(name, backend); }
            catch (Exception e) { errors.Add(e); }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Empty(errors);
        return new Dictionary<string, int>(results);
    }
}
