using System.Diagnostics;
using Spectre.Console;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>Progress of the worker's long steps (training, featurizing, scoring, MoCo, evaluations): Spectre.Console
/// bars with ETA on a terminal, refreshed from the working thread; plain lines (<see cref="PlainProgress"/>) when output
/// is redirected, so CI logs and files stay readable instead of filling with redraw sequences.</summary>
public static class StepProgress
{
    /// <summary>How often the bars are redrawn at most.</summary>
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>No auto-refresh: Spectre's refresh thread allocates while the working thread sits in libtorch, and a
    /// garbage collection it starts then can finalize a temporary TorchSharp Scalar (0.107 converts every number
    /// argument, and the alpha of `a + b`, into a finalizable Scalar that nothing keeps alive during the native call),
    /// freeing it while the op still reads it: the "toFloat at Scalar.h:140" crashes (README, Known problems). With
    /// only the working thread allocating, a collection can start only between native calls.</summary>
    internal static Progress Create(IAnsiConsole console) => console.Progress()
        .AutoRefresh(false)
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
            new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    /// <summary>Every report also renews, from the working thread, the leases of the runs it holds when due
    /// (<see cref="Core.Runs.RunScope.RenewDueOnThisThread"/>).</summary>
    public static T Run<T>(string description, double total, Func<Action<double, string?>, T> work)
    {
        var inner = work;
        work = report => inner((value, detail) => { Core.Runs.RunScope.RenewDueOnThisThread(); report(value, detail); });
        if (Console.IsOutputRedirected) return PlainProgress.Run(Console.Out, description, total, work);
        T result = default!;
        Create(AnsiConsole.Console).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
            var sinceRefresh = Stopwatch.StartNew();
            ctx.Refresh();
            result = work((value, detail) =>
            {
                task.Value = Math.Min(value, task.MaxValue);
                if (detail is not null) task.Description = Markup.Escape($"{description} · {detail}");
                if (sinceRefresh.Elapsed < RefreshEvery) return;
                ctx.Refresh();
                sinceRefresh.Restart();
            });
            task.Value = task.MaxValue;
            ctx.Refresh();
        });
        return result;
    }

    public static void Skipped(string step, string why) =>
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(step)}: skipped ({Markup.Escape(why)})[/]");
}

/// <summary>Progress as plain lines: one when a step starts, one each time it passes another tenth (with the latest
/// detail, the time so far and the estimated time left), one when it ends.</summary>
public static class PlainProgress
{
    /// <param name="elapsed">The time since the step started (a stopwatch unless a test gives a clock).</param>
    public static T Run<T>(TextWriter output, string description, double total, Func<Action<double, string?>, T> work, Func<TimeSpan>? elapsed = null)
    {
        if (elapsed is null)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            elapsed = () => watch.Elapsed;
        }
        double max = Math.Max(total, 1);
        int tenths = 0;
        output.WriteLine($"{description}: started");
        var result = work((value, detail) =>
        {
            double share = Math.Clamp(value / max, 0, 1);
            int reached = (int)Math.Floor(share * 10);
            if (reached <= tenths || reached >= 10) return;
            tenths = reached;
            var so = elapsed();
            var left = TimeSpan.FromSeconds(so.TotalSeconds * (1 - share) / share);
            output.WriteLine($"{description}: {reached * 10}%{(detail is null ? "" : $" · {detail}")} · {Seconds(so)} elapsed, about {Seconds(left)} left");
        });
        output.WriteLine($"{description}: done in {Seconds(elapsed())}");
        return result;
    }

    private static string Seconds(TimeSpan t) =>
        t.TotalSeconds < 90 ? FormattableString.Invariant($"{t.TotalSeconds:F1} s")
        : t.TotalMinutes < 90 ? FormattableString.Invariant($"{t.TotalMinutes:F1} min")
        : FormattableString.Invariant($"{t.TotalHours:F1} h");
}
