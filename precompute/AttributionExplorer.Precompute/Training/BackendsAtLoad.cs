using System.Runtime.CompilerServices;

namespace AttributionExplorer.Precompute.Training;

/// <summary>The misbehaving libtorch backends (see <see cref="TorchBackends"/>) are switched off as soon as this library
/// loads, before any of its code can run a convolution: entry points that never configure threads (benchmarks,
/// predictors, scorers) are covered too.</summary>
internal static class BackendsAtLoad
{
    [ModuleInitializer]
    internal static void SwitchOff() => TorchBackends.Configure();
}
