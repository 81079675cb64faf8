using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Worker.Evaluations;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>An evaluation plug-in: its description (published for the evaluation page) and how it runs. Its run goes
/// through <see cref="EvaluationSession"/> (a ledger run of kind "eval.{name}" whose steps are units).
/// Registered in <see cref="PluginRegistry"/>; `precompute eval {verb}` runs it from there.</summary>
public interface IEvaluation
{
    EvaluationKindInfo Info { get; }
    /// <summary>Runs (or resumes, or reuses) the evaluation; returns a one-line summary of its headline figures.</summary>
    string Run(EvaluationSetup setup);
}
