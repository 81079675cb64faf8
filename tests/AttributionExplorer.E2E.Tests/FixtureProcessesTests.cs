using System.Diagnostics;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.E2E.Tests;

/// <summary>Fixtures leave no child process behind: not when their initialization fails, not when they are disposed,
/// not when the process that started them dies without cleaning up.</summary>
public class FixtureProcessesTests
{
    private static ProcessStartInfo Sleep(string marker) => new("sleep", marker) { UseShellExecute = false };

    /// <summary>Ids of live processes whose command line contains <paramref name="marker"/>.</summary>
    private static List<int> Running(string marker) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(marker) && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            }).ToList();

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail(what);
            await Task.Delay(100);
        }
    }

    private static string Marker() => $"600.{Random.Shared.Next(100_000, 999_999)}";

    [Fact]
    public async Task AFixtureWhoseInitializationFailsLeavesNoChild()
    {
        string marker = Marker();
        var processes = new FixtureProcesses();
        bool cleanedUp = false;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => processes.InitializeOrStop(async () =>
        {
            processes.Start(Sleep(marker));
            await Eventually(() => Running(marker).Count >= 2, "the child did not start");
            throw new InvalidOperationException("init failed");
        }, () => { cleanedUp = true; return Task.CompletedTask; }));

        Assert.Equal("init failed", error.Message);
        Assert.True(cleanedUp);
        await Eventually(() => Running(marker).Count == 0, $"processes with {marker} still run: {string.Join(", ", Running(marker))}");
    }

    [Fact]
    public async Task DisposingStopsTheChildAndItsWatchdog()
    {
        string marker = Marker();
        using (var processes = new FixtureProcesses())
        {
            processes.Start(Sleep(marker));
            await Eventually(() => Running(marker).Count == 2, "watchdog and child did not start");
        }
        await Eventually(() => Running(marker).Count == 0, "a process outlived Dispose");
    }

    [Fact]
    public async Task AChildDiesWithAParentThatWasKilledOutright()
    {
        string parentMarker = Marker(), childMarker = Marker();
        using var parent = Process.Start(Sleep(parentMarker))!;
        using var processes = new FixtureProcesses();
        processes.Start(Sleep(childMarker), parentPid: parent.Id);
        await Eventually(() => Running(childMarker).Count == 2, "watchdog and child did not start");

        parent.Kill();
        parent.WaitForExit();

        await Eventually(() => Running(childMarker).Count == 0, "the child outlived its killed parent");
    }

    [Fact]
    public async Task RunToEndPassesStandardInputAndTheExitCode()
    {
        using var processes = new FixtureProcesses();
        var (code, output) = await processes.RunToEnd(new ProcessStartInfo("sh", "-c \"read line; echo got:$line; exit 3\""), TimeSpan.FromSeconds(30), "secret\n");
        Assert.Equal(3, code);
        Assert.Equal("got:secret", output.Trim());
    }
}
