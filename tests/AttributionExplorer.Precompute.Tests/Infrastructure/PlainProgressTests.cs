using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Precompute.Tests.Infrastructure;

/// <summary>Redirected output (CI logs) gets plain lines: start, each tenth passed with detail and ETA, end.</summary>
public class PlainProgressTests
{
    [Fact]
    public void OneLinePerTenthPassedWithTheDetailAndTheTimeLeft()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        int result = PlainProgress.Run(output, "train seed 0", 20, report =>
        {
            for (int step = 1; step <= 20; step++)
            {
                now = TimeSpan.FromSeconds(step * 2);
                report(step, $"batch {step}/20");
            }
            return 42;
        }, () => now);

        Assert.Equal(42, result);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("train seed 0: started", lines[0]);
        // Steps 2, 4, …, 18 cross a tenth (100% is the end line's): 9 lines between start and end.
        Assert.Equal(11, lines.Length);
        Assert.Equal("train seed 0: 10% · batch 2/20 · 4.0 s elapsed, about 36.0 s left", lines[1]);
        Assert.Equal("train seed 0: 50% · batch 10/20 · 20.0 s elapsed, about 20.0 s left", lines[5]);
        Assert.Equal("train seed 0: done in 40.0 s", lines[^1]);
        Assert.DoesNotContain('\u001b', output.ToString()); // no terminal escape sequences
    }

    [Fact]
    public void ReportsThatJumpOrRepeatPrintOnlyWhenANewTenthIsReached()
    {
        var output = new StringWriter();
        PlainProgress.Run(output, "MoCo", 100, report =>
        {
            report(5, null);
            report(35, "epoch 1/3");
            report(35, "epoch 1/3");
            report(20, null); // going back prints nothing
            report(150, null); // past the end: the end line says it
            return 0;
        }, () => TimeSpan.FromMinutes(3));
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["MoCo: started", "MoCo: 30% · epoch 1/3 · 3.0 min elapsed, about 5.6 min left", "MoCo: done in 3.0 min"], lines);
    }
}
