using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Non-finite gradients used to come from libtorch's multi-threaded oneDNN convolution backward; that is off
/// now (Training.TorchBackends), so one here is a bug to report, not something to retry.</summary>
internal static class GradientCheck
{
    public static void ThrowIfNotFinite(Tensor gradients, Func<string> what)
    {
        // A sum is finite iff every entry is (barring overflow, itself worth reporting); 8× cheaper than isfinite().all().
        if (!double.IsFinite(gradients.sum().to(ScalarType.Float64).item<double>()))
            throw new InvalidOperationException($"non-finite per-example gradient for {what()}; see README, TorchSharp on Debian 12");
    }
}
