using AttributionExplorer.Core.Domain;
using AttributionExplorer.Web.Components.Shared;
using Bunit;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class JobProgressTests : BunitContext
{
    public JobProgressTests() => Services.AddMudServices();

    private static JobRecord Job(string status, double? progress = null, string? note = null, int ahead = 0) =>
        new(7, 1, JobKinds.TrakRegion, status, "{}", null, null, null, null, DateTime.UtcNow, null, null, progress, note, ahead);

    private IRenderedComponent<JobProgress> Show(JobRecord job) =>
        Render<JobProgress>(p => p.Add(c => c.Job, job).Add(c => c.Elapsed, TimeSpan.FromSeconds(2.5)));

    [Fact]
    public void ARunningJobShowsTheShareItReportedAndWhatItIsDoing()
    {
        var shown = Show(Job(JobStatus.Running, 0.675, "scored checkpoint 5 of 8"));
        Assert.Equal("67", shown.Find(".job-progress").GetAttribute("data-progress"));
        Assert.Contains("Job 7 running: 67% · scored checkpoint 5 of 8 · 2.5 s", shown.Find(".job-progress").TextContent);
        Assert.Empty(shown.FindAll(".mud-progress-indeterminate"));
    }

    [Fact]
    public void AQueuedJobSaysHowManyJobsWaitBeforeIt()
    {
        Assert.Contains("Job 7 queued (2 jobs ahead) · 2.5 s", Show(Job(JobStatus.Queued, ahead: 2)).Find(".job-progress").TextContent);
        Assert.Contains("Job 7 queued · 2.5 s", Show(Job(JobStatus.Queued)).Find(".job-progress").TextContent);
        // Running but nothing reported yet (loading the request): no made-up percentage.
        var starting = Show(Job(JobStatus.Running));
        Assert.Contains("running (starting)", starting.Find(".job-progress").TextContent);
        Assert.Equal("", starting.Find(".job-progress").GetAttribute("data-progress"));
    }
}
