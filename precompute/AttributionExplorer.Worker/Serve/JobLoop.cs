using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Serve;

/// <summary>`precompute serve`: claims queued jobs (ledger runs of kind "job.*") oldest first and runs each through the
/// run executor, so a job holds a lease with a heartbeat while it runs. A job whose worker was killed is claimed again
/// once its lease expires, up to <see cref="MaxAttempts"/> times, then failed with the reason; a job's own failure is
/// recorded on it and the loop goes on.</summary>
public sealed class JobLoop(PipelineContext context, Action<string> log) : IDisposable
{
    public const int MaxAttempts = 3;
    private static readonly string[] Kinds = [JobRepository.RunKind(JobKinds.TrakRegion)];
    private readonly RegionJobHandler region = new(context);

    /// <summary>Runs every claimable job; returns how many it ran.</summary>
    public int Drain(CancellationToken cancel = default)
    {
        int ran = 0;
        while (!cancel.IsCancellationRequested
               && context.Ledger.ClaimNext(Kinds, context.WorkerName, context.Lease, DateTime.UtcNow, MaxAttempts) is { } run)
        {
            ran++;
            var job = JobRepository.ToJob(run);
            try
            {
                var outcome = context.Runs.Execute(run, _ =>
                {
                    var (targetId, result) = job.Kind switch
                    {
                        JobKinds.TrakRegion => region.Handle(job, (share, note) => context.Jobs.ReportProgress(job.Id, context.WorkerName, share, note)),
                        _ => throw new ArgumentException($"job {job.Id}: unknown kind '{job.Kind}'"),
                    };
                    using var document = JsonDocument.Parse(result);
                    return new JobRepository.JobResult(targetId, document.RootElement.Clone());
                });
                log($"job {job.Id} ({job.Kind}) done: {outcome.Result.Result}");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or KeyNotFoundException)
            {
                log($"job {job.Id} ({job.Kind}) failed: {e.Message}");
            }
        }
        return ran;
    }

    public void Run(TimeSpan poll, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
            if (Drain(cancel) == 0) cancel.WaitHandle.WaitOne(poll);
    }

    public void Dispose() => region.Dispose();
}
