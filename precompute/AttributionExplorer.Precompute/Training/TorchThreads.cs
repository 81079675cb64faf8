using TorchSharp;

namespace AttributionExplorer.Precompute.Training;

/// <summary>libtorch 2.10's CPU convolution backward produced NaN gradients with 2 intra-op threads on the 2-core
/// machines this project is built on (reproduced on low-variance inputs; one thread is clean — see
/// TorchThreadsTests). Training and TRAK therefore run single-threaded unless Training.Threads says otherwise.</summary>
public static class TorchThreads
{
    public static void Configure(int requested) => torch.set_num_threads(requested > 0 ? requested : 1);
}
