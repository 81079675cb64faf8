using TorchSharp;

namespace AttributionExplorer.Precompute.Training;

/// <summary>libtorch intra-op threads for training and TRAK (default 1: the machines are shared 2-core ones); also
/// switches off the CPU backends that gave wrong gradients here (see <see cref="TorchBackends"/>).</summary>
public static class TorchThreads
{
    public static void Configure(int requested)
    {
        int threads = requested > 0 ? requested : 1;
        torch.set_num_threads(threads);
        TorchBackends.Configure();
    }
}
