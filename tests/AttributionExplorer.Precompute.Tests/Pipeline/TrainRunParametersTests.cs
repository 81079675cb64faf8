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
}
