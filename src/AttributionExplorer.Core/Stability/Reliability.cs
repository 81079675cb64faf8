namespace AttributionExplorer.Core.Stability;

/// <summary>How reproducible a ranking is: the Spearman correlation between the same ranking computed from two disjoint
/// halves of the checkpoint ensemble (<see cref="SplitHalf"/>), or null with the reason there is none.</summary>
/// <param name="SplitHalf">Spearman of the two halves' score vectors over all training images; null when not measurable.</param>
/// <param name="Detail">With a figure: how the halves were formed. Without: why there is no figure.</param>
public sealed record Reliability(double? SplitHalf, string Detail)
{
    /// <summary>At or above: "stable".</summary>
    public const double StableAtLeast = 0.7;
    /// <summary>Below: "noisy"; in between: "moderate".</summary>
    public const double NoisyBelow = 0.3;

    /// <summary>Why a ranking has no split-half figure (one training run, one embedding model, …).</summary>
    public static Reliability None(string reason) => new(null, reason);

    /// <summary>A ranking computed from one model (an embedding, no ensemble): there are no halves to compare.</summary>
    public static Reliability OneModel(string model) => None($"one {model} model: there is no ensemble to split into halves");

    /// <summary>"stable", "moderate", "noisy", or "none" without a figure.</summary>
    public string Level => SplitHalf switch
    {
        null => "none",
        >= StableAtLeast => "stable",
        >= NoisyBelow => "moderate",
        _ => "noisy",
    };

    /// <summary>The badge text: "stable 0.81", "noisy 0.12", or "no split-half".</summary>
    public string Badge => SplitHalf is { } r ? $"{Level} {Math.Round(r, 2) + 0.0:0.00}" : "no split-half";   // + 0.0: no "-0.00"

    /// <summary>What the badge measures, with the thresholds and this ranking's figure or reason (for a tooltip).</summary>
    public string Explanation => SplitHalf is { } r
        ? $"Split-half reliability {Math.Round(r, 2) + 0.0:0.00}: Spearman correlation between this ranking computed from two disjoint halves of the checkpoint ensemble ({Detail}). " +
          $"Stable ≥ {StableAtLeast:0.0}, noisy < {NoisyBelow:0.0}; each half has half the models, so the full ensemble's ranking is at least as stable as this figure says."
        : $"No split-half reliability: {Detail}. (It is the Spearman correlation between a ranking computed from two disjoint halves of the checkpoint ensemble.)";
}
