using System.Diagnostics;
using Spectre.Console;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>Spectre.Console progress bars with ETA for the worker's long steps, refreshed from the working thread.</summary>
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

    public static T Run<T>(string description, double total, Func<Action<double, string?>, T> work)
    {
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
