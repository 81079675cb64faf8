using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Retrains the segmentation model from scratch on a subset of the training examples (seeded), as every
/// counterfactual evaluation does.</summary>
public static class SubsetTrainer
{
    public static DeepLabV3 Train(InMemorySegmentationSource train, IReadOnlyList<int> keep, ModelOptions model, TrainingOptions training,
        int seed, torch.Device device)
    {
        if (keep.Count == 0) throw new ArgumentException("cannot train on an empty subset");
        torch.manual_seed(seed);
        var network = DeepLabV3.Create(model, train.NumClasses);
        network.to(device);
        SegmentationTrainer.Train(network, train.Select(keep), training, seed);
        return network;
    }

    /// <summary>Training examples left after removing the given ones, in their original order.</summary>
    public static int[] Without(int count, IEnumerable<int> removed)
    {
        var drop = removed.ToHashSet();
        return Enumerable.Range(0, count).Where(i => !drop.Contains(i)).ToArray();
    }
}
