using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>(ΦᵀΦ + λ·mean(diag ΦᵀΦ)·I)⁻¹. ΦᵀΦ is accumulated over row blocks in float64 (float16/float32 accumulation
/// is what made the reference report singular kernels), inverted by Cholesky, returned as float32.
/// λ is relative to the mean diagonal so it means the same for any projection size; λ = 0 requires full rank.</summary>
public static class KernelInverse
{
    public static Tensor Compute(Tensor features, double lambda, int blockRows = 4096)
    {
        using var scope = torch.NewDisposeScope();
        long n = features.shape[0], k = features.shape[1];
        var gram = torch.zeros(k, k, dtype: ScalarType.Float64, device: features.device);
        for (long start = 0; start < n; start += blockRows)
        {
            using var inner = torch.NewDisposeScope();
            var block = features.narrow(0, start, Math.Min(blockRows, n - start)).to(ScalarType.Float64);
            gram.add_(block.t().matmul(block));
        }
        double ridge = lambda * gram.diagonal().mean().item<double>();
        if (ridge > 0) gram.add_(torch.eye(k, dtype: ScalarType.Float64, device: features.device).mul_(ridge));
        var (factor, info) = torch.linalg.cholesky_ex(gram);
        if (info.item<int>() != 0)
            throw new InvalidOperationException(
                $"ΦᵀΦ + λI is not positive definite (n = {n}, k = {k}, λ = {lambda}); raise Trak.Lambda or lower Trak.ProjectionDim");
        return torch.cholesky_inverse(factor).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
