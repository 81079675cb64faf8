using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

public class TrainRunParametersTests
{
    private static readonly ModelOptions Model = new() { ImageSize = 64, BaseWidth = 16, BlocksPerStage = 1, AsppChannels = 32 };

    [Fact]
    public void ThePlateauScheduleLeavesTheRecordedParametersAsTheyWereBeforeSchedulesExisted()
    {
        string json = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8 }, seed: 3, numClasses: 9));
        Assert.DoesNotContain("schedule", json, StringComparison.OrdinalIgnoreCase);
        // A run stored by an earlier version (no schedule) reads back as reduce-on-plateau.
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize<TrainRunParameters>(json, RunParameters.JsonOptions)!.Schedule);
    }

    [Fact]
    public void TheCosineScheduleIsPartOfTheRunsIdentity()
    {
        var plateau = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8 }, 3, 9));
        var cosine = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8, Schedule = "cosine" }, 3, 9));
        Assert.Contains("\"schedule\":\"cosine\"", cosine);
        Assert.NotEqual(RunParameters.Identity("train", 1, "v1", plateau, []), RunParameters.Identity("train", 1, "v1", cosine, []));
    }

    [Fact]
    public void AdamRecordsNoMomentumSoEarlierRunsKeepTheirIdentity()
    {
        string json = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8, Momentum = 0.5 }, 3, 9));
        Assert.Contains("\"optimizer\":\"adam\"", json);
        Assert.DoesNotContain("momentum", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("warmup", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WarmupIsPartOfTheRunsIdentity()
    {
        var json = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8, WarmupEpochs = 1 }, 3, 9));
        Assert.Contains("\"warmupEpochs\":1", json);
    }

    [Fact]
    public void SgdAndItsMomentumArePartOfTheRunsIdentity()
    {
        string Identity(TrainingOptions training) =>
            RunParameters.Identity("train", 1, "v1", RunParameters.Serialize(TrainRunParameters.Of(Model, training, 3, 9)), []);
        var sgd = RunParameters.Serialize(TrainRunParameters.Of(Model, new TrainingOptions { Epochs = 8, Optimizer = "sgd", Momentum = 0.9 }, 3, 9));
        Assert.Contains("\"optimizer\":\"sgd\"", sgd);
        Assert.Contains("\"momentum\":0.9", sgd);
        Assert.Equal(3, new[] { Identity(new() { Epochs = 8 }), Identity(new() { Epochs = 8, Optimizer = "sgd", Momentum = 0.9 }),
            Identity(new() { Epochs = 8, Optimizer = "sgd", Momentum = 0.5 }) }.Distinct().Count());
    }
}
