namespace AttributionExplorer.Core.LabelErrors;

/// <summary>Whether a TRAK kernel (ΦᵀΦ + ridge·I, n train rows, k projected dimensions) is in a regime where its
/// scores mean something. With n &lt; 4k the kernel nearly interpolates the training set: every train image is almost
/// its own perfect predictor, self-influence separates nothing, and held-out scores are dominated by the ridge. The
/// figures behind the bounds are in docs/science-notes.md.</summary>
public static class KernelRegime
{
    /// <summary>Train rows per projected dimension below which the kernel is called degenerate.</summary>
    public const double MinRowsPerDimension = 4;
    /// <summary>Largest acceptable condition number of ΦᵀΦ + ridge·I.</summary>
    public const double MaxCondition = 1e5;
    /// <summary>Largest acceptable fraction of ΦᵀΦ's eigenvalues below the ridge (directions the ridge, not the data, decides).</summary>
    public const double MaxFractionBelowRidge = 0.1;

    /// <summary>The rule in words, for whoever reads a warning.</summary>
    public static readonly string Rule =
        $"a TRAK kernel is called degenerate when n < {MinRowsPerDimension}·k (train images per projected dimension), when the condition number of ΦᵀΦ + λI exceeds {MaxCondition:0e+0}, " +
        $"or when more than {MaxFractionBelowRidge * 100:0}% of ΦᵀΦ's eigenvalues lie below the ridge λ";

    /// <summary>One sentence per violated bound, with the figures; empty when the regime is sound.</summary>
    public static IReadOnlyList<string> Warnings(int n, int k, double minEigenvalue, double maxEigenvalue, double ridge, int eigenvaluesBelowRidge)
    {
        if (n < 1 || k < 1) throw new ArgumentOutOfRangeException(nameof(n), "n and k must be ≥ 1");
        var warnings = new List<string>();
        if (n < MinRowsPerDimension * k)
            warnings.Add($"n = {n} train images for k = {k} projected dimensions (n/k = {(double)n / k:0.##} < {MinRowsPerDimension}): the kernel nearly interpolates the training set");
        double condition = (maxEigenvalue + ridge) / (Math.Max(0, minEigenvalue) + ridge);
        if (!(condition <= MaxCondition))
            warnings.Add($"condition number of ΦᵀΦ + λI is {condition:0.##e+0} (> {MaxCondition:0e+0}): scores hinge on a few near-null directions");
        if (eigenvaluesBelowRidge > MaxFractionBelowRidge * k)
            warnings.Add($"{eigenvaluesBelowRidge} of {k} eigenvalues of ΦᵀΦ lie below the ridge λ = {ridge:g3}: the ridge, not the data, decides most directions");
        return warnings;
    }
}
