using AttributionExplorer.Core.Domain;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Serve;

/// <summary>`precompute serve`: claims queued jobs oldest first and runs them one at a time; a job's failure is written to
/// its row and the loop goes on. Jobs a previous run of this worker left running are put back in the queue at start.</summary>
public sealed class JobLoop(PipelineContext context, string workerName, Action<string> log) : IDisposable
{
    private readonly RegionJobHandler region = new(context);

    public int Requeued { get; private set; } = context.Jobs.RequeueRunning(workerName);

    /// <summary>Runs every queued job; returns how many it ran.</summary>
    public int Drain(CancellationToken cancel = default)
    {
        int ran = 0;
        while (!cancel.IsCancellationRequested && context.Jobs.ClaimNext(workerName) is { } job)
        {
            ran++;
            try
            {
                var (targetId, result) = job.Kind switch
                {
                    JobKinds.TrakRegion => region.Handle(job),
                    _ => throw new ArgumentException($"job {job.Id}: unknown kind '{job.Kind}'"),
                };
                context.Jobs.Complete(job.Id, targetId, result);
                log($"job {job.Id} ({job.Kind}) done: {result}");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException or KeyNotFoundException)
            {
                context.Jobs.Fail(job.Id, e.Message);
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
