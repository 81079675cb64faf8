using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>Where the ridge sits in the spectrum of ΦᵀΦ (k×k, float64): the smallest and largest eigenvalue, the
/// ridge the kernel adds (λ · mean diagonal, KernelInverse's rule), the condition number of ΦᵀΦ + ridge·I, and how
/// many eigenvalues fall below the ridge (directions the ridge, not the data, decides).</summary>
public sealed record KernelSpectrum(int N, int K, double MinEigenvalue, double MaxEigenvalue, double MeanDiagonal, double Ridge,
    double RegularizedCondition, int EigenvaluesBelowRidge)
{
    public double RidgeOverMinEigenvalue => MinEigenvalue > 0 ? Ridge / MinEigenvalue : double.PositiveInfinity;

    public static KernelSpectrum Of(Tensor features, double lambda)
    {
        using var scope = torch.NewDisposeScope();
        var phi = features.to(ScalarType.Float64);
        var gram = phi.t().matmul(phi);
        var eigenvalues = torch.linalg.eigvalsh(gram).data<double>().ToArray();
        double meanDiagonal = gram.diagonal().mean().item<double>();
        double ridge = lambda * meanDiagonal;
        double min = Math.Max(0, eigenvalues.Min()), max = eigenvalues.Max();
        return new KernelSpectrum((int)features.shape[0], (int)features.shape[1], min, max, meanDiagonal, ridge,
            (max + ridge) / (min + ridge), eigenvalues.Count(e => e < ridge));
    }
}
