using AttributionExplorer.Worker.Infrastructure;
using Spectre.Console;

namespace AttributionExplorer.Precompute.Tests.Infrastructure;

public class StepProgressTests
{
    /// <summary>The guard against the TorchSharp Scalar use-after-free: no refresh thread that allocates while the
    /// working thread is inside libtorch (see StepProgress.Create).</summary>
    [Fact]
    public void ProgressBarsHaveNoRefreshThread()
    {
        Assert.False(StepProgress.Create(AnsiConsole.Console).AutoRefresh);
    }

    [Fact]
    public void TheWorkRunsOnTheCallingThreadAndItsResultComesBack()
    {
        int caller = Environment.CurrentManagedThreadId, worker = -1;
        var result = StepProgress.Run("test step", 3, report =>
        {
            worker = Environment.CurrentManagedThreadId;
            for (int i = 1; i <= 3; i++) report(i, $"item {i}");
            return 42;
        });
        Assert.Equal(42, result);
        Assert.Equal(caller, worker);
    }
}
