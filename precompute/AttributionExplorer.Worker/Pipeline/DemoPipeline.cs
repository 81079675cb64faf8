using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>What `precompute demo` does: import the demo dataset, run every registered ranking method meant for the demo
/// with the Demo section's sizes (TRAK trains the checkpoints it needs), then rank agreement. Completed runs are reused.</summary>
public static class DemoPipeline
{
    public static DatasetInfo Run(PipelineContext context)
    {
        var dataset = DemoStep.EnsureImported(context);
        var sizes = PipelineSizes.Of(context.Options, demo: true);
        foreach (var method in PluginRegistry.RankingMethods)
        {
            if (method.InDemo) RunMethod(context, dataset, sizes, method);
            else context.Summary.Add(($"rank {method.Info.Name}", $"not in the demo (extra trainings): {method.Info.Command.Replace("NAME", dataset.Name)} --demo-sizes", 0));
        }
        AgreementStep.Run(context, dataset);
        return dataset;
    }

    /// <summary>Runs one method and adds its line to the summary.</summary>
    public static void RunMethod(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes, IRankingMethod method)
    {
        var clock = Stopwatch.StartNew();
        string summary = method.Run(context, dataset, sizes);
        context.Summary.Add(($"rank {method.Info.Name}", summary, clock.Elapsed.TotalSeconds));
    }
}
