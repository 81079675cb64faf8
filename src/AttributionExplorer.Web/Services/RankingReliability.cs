using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.LabelErrors;
using AttributionExplorer.Core.Stability;

namespace AttributionExplorer.Web.Services;

/// <summary>A ranking's split-half reliability and its run's kernel regime as the pages and the API show them.</summary>
public static class RankingReliability
{
    /// <summary>Badge text of a run that recorded no reliability (computed before reliability figures existed).</summary>
    public const string NotMeasured = "not measured";

    public static string Badge(Reliability? reliability) => reliability?.Badge ?? NotMeasured;

    public static string Explanation(Reliability? reliability) => reliability?.Explanation
        ?? "This run recorded no split-half reliability (it was computed before reliability figures existed); rerun its command to measure it.";

    /// <summary>One target's reliability: its own figure, with the run's description of the halves; otherwise the
    /// run's reason for having none.</summary>
    public static Reliability? OfTarget(Reliability? run, AttributionTarget target)
    {
        if (target.SplitHalf is { } r) return new Reliability(r, run?.Detail ?? "halves of the ensemble by training run");
        return run switch
        {
            null => null,
            { SplitHalf: null } => run,
            _ => Reliability.None($"undefined for this target: one half's scores are constant or too few items are scored ({run.Detail})"),
        };
    }

    /// <summary>What is wrong with a run's kernels, one line per distinct problem with the checkpoints it concerns;
    /// empty when every kernel is sound or none was recorded.</summary>
    public static IReadOnlyList<string> RegimeWarnings(IReadOnlyList<KernelFigures> kernels) =>
        kernels.SelectMany(k => k.Warnings().Select(w => (Warning: w, k.CheckpointId)))
            .GroupBy(x => x.Warning)
            .Select(g => $"{g.Key} (checkpoint{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(x => x.CheckpointId))})")
            .ToList();

    public static string Rule => KernelRegime.Rule;
}
