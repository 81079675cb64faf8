using Spectre.Console;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>Progress of the worker's long steps (training, featurizing, scoring, MoCo, evaluations): Spectre.Console
/// bars with ETA on a terminal; plain lines (<see cref="PlainProgress"/>) when output is redirected, so CI logs and
/// files stay readable instead of filling with redraw sequences.</summary>
public static class StepProgress
{
    public static T Run<T>(string description, double total, Func<Action<double, string?>, T> work)
    {
        if (Console.IsOutputRedirected) return PlainProgress.Run(Console.Out, description, total, work);
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                result = work((value, detail) =>
                {
                    task.Value = Math.Min(value, task.MaxValue);
                    if (detail is not null) task.Description = Markup.Escape($"{description} · {detail}");
                });
                task.Value = task.MaxValue;
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
