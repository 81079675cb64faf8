using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.LabelErrors;

/// <summary>One training run that also keeps the weights at the end of each of its last epochs (trajectory
/// checkpoints: more ensemble members at no extra training). The snapshots are taken from the trainer's progress
/// report of an epoch's last batch, which comes after that batch's optimizer step.</summary>
public static class TrajectoryTrainer
{
    /// <returns>The checkpoints in epoch order; the last one is the trained model itself. All in eval mode.</returns>
    public static IReadOnlyList<DeepLabV3> Train(ISegmentationSource train, ModelOptions model, TrainingOptions training,
        int seed, int lastEpochs, Device device)
    {
        if (lastEpochs < 1 || lastEpochs > training.Epochs)
            throw new ArgumentOutOfRangeException(nameof(lastEpochs), lastEpochs, $"keep 1…{training.Epochs} epochs");
        // Snapshot models first, so the network's initialization under the seed is the same as a plain training run's.
        var snapshots = Enumerable.Range(0, lastEpochs - 1).Select(_ => DeepLabV3.Create(model, train.NumClasses)).ToList();
        foreach (var s in snapshots) s.to(device);
        torch.manual_seed(seed);
        var network = DeepLabV3.Create(model, train.NumClasses);
        network.to(device);
        int firstKept = training.Epochs - lastEpochs + 1, taken = 0;
        var sink = new EpochEnd(epoch =>
        {
            if (epoch >= firstKept && epoch < training.Epochs) CopyWeights(network, snapshots[taken++]);
        });
        SegmentationTrainer.Train(network, train, training, seed, sink);
        var result = snapshots.Append(network).ToList();
        foreach (var m in result) m.eval();
        return result;
    }

    /// <summary>Parameters and buffers (BatchNorm running statistics) of one model into another of the same shape.</summary>
    public static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var source = from.state_dict();
        foreach (var (name, tensor) in to.state_dict()) tensor.copy_(source[name]);
    }

    /// <summary>Synchronous (Progress&lt;T&gt; would post to a thread pool and snapshot later weights).</summary>
    private sealed class EpochEnd(Action<int> onEpochEnd) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value)
        {
            if (value.Batch == value.Batches) onEpochEnd(value.Epoch);
        }
    }
}
