using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Runs the chosen evaluation plug-ins on one dataset and adds their headline figures to the summary.</summary>
public static class EvaluationRunner
{
    public static void Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training, IReadOnlyList<Plugins.IEvaluation> evaluations)
    {
        var options = context.Options.Evaluation;
        if (options.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"appsettings.json: {string.Join("; ", problems)}");
        TorchThreads.Configure(training.Threads);
        var data = new EvaluationData(context, dataset, model, options.Seed);
        var setup = new EvaluationSetup(context, data, model, training, options);
        foreach (var evaluation in evaluations)
        {
            var clock = Stopwatch.StartNew();
            string summary = evaluation.Run(setup);
            context.Summary.Add(($"eval {evaluation.Info.Name}", summary, clock.Elapsed.TotalSeconds));
        }
    }
}
