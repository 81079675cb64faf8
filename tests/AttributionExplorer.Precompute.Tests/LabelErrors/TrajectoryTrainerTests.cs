using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using TorchSharp;

namespace AttributionExplorer.Precompute.Tests.LabelErrors;

/// <summary>A trajectory checkpoint is the model a shorter run with the same seed ends with (the oracle: train that
/// shorter run separately).</summary>
public class TrajectoryTrainerTests
{
    private static readonly ModelOptions Tiny = new() { ImageSize = 16, BaseWidth = 4, BlocksPerStage = 1, AsppChannels = 4, AsppRates = [1, 2] };

    private static TrainingOptions Schedule(int epochs) =>
        new() { Epochs = epochs, BatchSize = 4, LearningRate = 1e-2, Seeds = [0], Threads = 1, PlateauPatience = 1 };

    [Fact]
    public void EachSnapshotEqualsTheEndOfAShorterRunAndTheLastIsTheTrainedModel()
    {
        var source = new SyntheticSegmentationSource(8, 3, 16, seed: 4);
        var checkpoints = TrajectoryTrainer.Train(source, Tiny, Schedule(3), seed: 5, lastEpochs: 2, torch.CPU);
        Assert.Equal(2, checkpoints.Count);

        foreach (var (epochs, checkpoint) in new[] { (2, checkpoints[0]), (3, checkpoints[1]) })
        {
            torch.manual_seed(5);
            var reference = DeepLabV3.Create(Tiny, 3);
            SegmentationTrainer.Train(reference, source, Schedule(epochs), 5);
            var expected = reference.state_dict();
            foreach (var (name, tensor) in checkpoint.state_dict())
                Assert.True(tensor.allclose(expected[name], rtol: 1e-4, atol: 1e-6), $"{name} after {epochs} epochs differs");
        }
        // The snapshots differ from each other: the copy is not a shared reference.
        Assert.False(checkpoints[0].parameters().First().allclose(checkpoints[1].parameters().First()));
    }
}
