using TorchSharp;

namespace AttributionExplorer.Precompute.Training;

/// <summary>libtorch 2.10's CPU convolution backward produced non-finite gradients often with 2 intra-op threads on
/// the 2-core machines this project is built on, rarely with one. Training and TRAK run single-threaded unless
/// Training.Threads says otherwise, and recompute any non-finite gradient (SegmentationTrainer,
/// PerExampleGradientComputer).</summary>
public static class TorchThreads
{
    public static void Configure(int requested) => torch.set_num_threads(requested > 0 ? requested : 1);
}
