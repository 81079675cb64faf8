namespace AttributionExplorer.Core.Evaluation;

public sealed record BisectionStep(int Support, bool Broke);

/// <summary>Smallest removal support that breaks a target, found by bisection with a budget of retraining steps (data
/// brittleness, Algorithm 1 of the self-supervised-attribution study). Assumes breaking is monotone in the support.
/// <see cref="Smallest"/> is null when even <c>max</c> did not break the target.</summary>
public sealed record BisectionResult(int? Smallest, int LowerBound, IReadOnlyList<BisectionStep> Steps);

public static class BisectionSearch
{
    /// <param name="breaks">Retrains without the top-<c>support</c> training images and says whether the target broke.</param>
    public static BisectionResult Run(int max, int budget, Func<int, bool> breaks)
    {
        if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), max, "max support must be ≥ 1");
        if (budget < 1) throw new ArgumentOutOfRangeException(nameof(budget), budget, "budget must be ≥ 1");
        var steps = new List<BisectionStep>();
        // Check the largest support first: if it does not break, nothing smaller will (monotonicity).
        bool top = breaks(max);
        steps.Add(new(max, top));
        if (!top) return new(null, max, steps);
        int lo = 0, hi = max; // lo: known not to break (0 = the full-data model), hi: known to break
        while (steps.Count < budget && hi - lo > 1)
        {
            int mid = lo + (hi - lo) / 2;
            bool broke = breaks(mid);
            steps.Add(new(mid, broke));
            if (broke) hi = mid; else lo = mid;
        }
        return new(hi, lo, steps);
    }
}
