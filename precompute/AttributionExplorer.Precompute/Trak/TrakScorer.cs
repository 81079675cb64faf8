using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>TRAK scores of one checkpoint: S = −Ψ (ΦᵀΦ + λI)⁻¹ Φᵀ, targets × training examples.
/// Φ rows are projected gradients of the training LOSS, Ψ rows projected gradients of the target output f.
/// Sign convention: a positive score means the training example raises the target's output (removing it would
/// lower it). Upweighting example i moves f by −∇fᵀH⁻¹∇Lᵢ — the minus is there because a loss gradient points
/// the opposite way from an output gradient. Segmentation outputs are means over pixels, so no per-example
/// out-to-loss factor Q is applied (Q ≡ 1, as the reference does for mean-over-pixel outputs).</summary>
public static class TrakScorer
{
    /// <summary>(ΦᵀΦ + λI)⁻¹Φᵀ [k, n]: what scoring a new target needs, without touching the training set again.</summary>
    public static Tensor ScoringMatrix(Tensor trainFeatures, double lambda)
    {
        using var scope = torch.NewDisposeScope();
        var kernelInverse = KernelInverse.Compute(trainFeatures, lambda);
        return kernelInverse.matmul(trainFeatures.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Scores [t, n] from target features Ψ [t, k] and a scoring matrix [k, n].</summary>
    public static Tensor Score(Tensor targetFeatures, Tensor scoringMatrix) => targetFeatures.matmul(scoringMatrix).neg_();
}
