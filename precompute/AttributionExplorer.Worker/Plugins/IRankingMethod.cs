using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>A ranking method plug-in: its description (published for the web app) and how it computes its runs on a
/// dataset. It goes through <see cref="PipelineContext.Runs"/>, so identical runs are reused and interrupted ones resume.
/// Registered in <see cref="PluginRegistry"/>; `precompute rank {name}` and `precompute demo` run it from there.</summary>
public interface IRankingMethod
{
    RankingMethodInfo Info { get; }
    /// <summary>Computes (or reuses) the method's runs; returns a one-line summary.</summary>
    string Run(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes);

    /// <summary>Whether `precompute demo` runs it (false for methods that cost extra trainings: `rank NAME` runs them).</summary>
    bool InDemo => true;
}
