using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Plugins;

/// <summary>A train-image detector that scores with held-out targets and can recompute its order from some of the
/// held-out images only. An evaluation that measures on held-out images (curation) selects with one half of them and
/// measures on the other; a detector that uses held-out targets without this cannot be evaluated that way.</summary>
public interface IHeldOutRestrictable
{
    /// <summary>Every train image id of <paramref name="run"/> (a complete run of this detector), most suspect first,
    /// as the run would rank them had it seen only the held-out images <paramref name="heldOutImageIds"/>.</summary>
    IReadOnlyList<long> MostSuspectFirst(PipelineContext context, RunRecord run, IReadOnlySet<long> heldOutImageIds);
}
