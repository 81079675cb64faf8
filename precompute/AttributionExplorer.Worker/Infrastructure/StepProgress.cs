using Spectre.Console;

namespace AttributionExplorer.Worker.Infrastructure;

/// <summary>Spectre.Console progress bars with ETA for the worker's long steps.</summary>
public static class StepProgress
{
    public static T Run<T>(string description, double total, Func<Action<double, string?>, T> work)
    {
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
