using System.Collections.Concurrent;
using System.Diagnostics;

namespace AttributionExplorer.Tests.Shared;

/// <summary>Every process a test fixture starts, stopped in every path: when the fixture is disposed, when its
/// initialization fails (<see cref="InitializeOrStop"/>), when the test host exits (a process-exit hook), and even when
/// the test host is killed outright — each child runs under a small watchdog shell that ends it within a second of its
/// parent's death.</summary>
public sealed class FixtureProcesses : IDisposable
{
    private static readonly ConcurrentDictionary<FixtureProcesses, byte> Live = new();
    private readonly ConcurrentDictionary<Process, byte> running = new();

    static FixtureProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopEverything();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => StopEverything();
    }

    public FixtureProcesses() => Live[this] = 0;

    /// <summary>The ids of the processes still running (the watchdogs; their child is the one process under each).</summary>
    public IReadOnlyList<int> Ids => running.Keys.Where(p => !HasExited(p)).Select(p => p.Id).ToList();

    // sh -c 'watchdog' _ PARENT PROGRAM ARGS…: starts the program (keeping stdin: a background job's is /dev/null
    // otherwise), polls the parent, and stops the program (TERM, then KILL) when the parent is gone; exits with the
    // program's status.
    private const string Watchdog =
        "parent=$1; shift; exec 3<&0; \"$@\" <&3 3<&- & child=$!; exec 3<&-; " +
        "trap 'kill -TERM $child 2>/dev/null' TERM INT; " +
        "while kill -0 $child 2>/dev/null; do " +
        "  if ! kill -0 $parent 2>/dev/null; then kill -TERM $child 2>/dev/null; sleep 2; kill -KILL $child 2>/dev/null; fi; " +
        "  sleep 0.5; " +
        "done; wait $child";

    /// <summary>Starts <paramref name="info"/> under the watchdog of <paramref name="parentPid"/> (default: this process).</summary>
    public Process Start(ProcessStartInfo info, int? parentPid = null)
    {
        var wrapped = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = info.WorkingDirectory, RedirectStandardOutput = info.RedirectStandardOutput, RedirectStandardError = info.RedirectStandardError,
            RedirectStandardInput = info.RedirectStandardInput, UseShellExecute = false,
        };
        foreach (string arg in new[] { "-c", Watchdog, "watchdog", (parentPid ?? Environment.ProcessId).ToString(), info.FileName }.Concat(info.ArgumentList.Count > 0 ? info.ArgumentList : SplitArguments(info.Arguments)))
            wrapped.ArgumentList.Add(arg);
        foreach (var (key, value) in info.Environment) wrapped.Environment[key] = value;
        var process = Process.Start(wrapped) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        running[process] = 0;
        return process;
    }

    /// <summary>Runs to the end (or <paramref name="limit"/>, then stops it); returns its exit code and output.</summary>
    public async Task<(int Code, string Output)> RunToEnd(ProcessStartInfo info, TimeSpan limit, string? input = null)
    {
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.RedirectStandardInput = input is not null;
        var process = Start(info);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                process.StandardInput.Close();
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(limit);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>Runs <paramref name="initialize"/>; if it fails, stops everything it started before rethrowing (xUnit
    /// does not dispose a fixture whose initialization threw).</summary>
    public async Task InitializeOrStop(Func<Task> initialize, Func<Task> cleanUp)
    {
        try { await initialize(); }
        catch
        {
            try { await cleanUp(); }
            finally { Dispose(); }
            throw;
        }
    }

    private void Stop(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        try { process.WaitForExit(5000); } catch (InvalidOperationException) { }
        running.TryRemove(process, out _);
        process.Dispose();
    }

    public void Dispose()
    {
        foreach (var process in running.Keys) Stop(process);
        Live.TryRemove(this, out _);
    }

    private static void StopEverything()
    {
        foreach (var fixture in Live.Keys) fixture.Dispose();
    }

    private static bool HasExited(Process p)
    {
        try { return p.HasExited; } catch (InvalidOperationException) { return true; }
    }

    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in arguments)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) parts.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else { current.Append(c); any = true; }
        }
        if (any) parts.Add(current.ToString());
        return parts;
    }
}
