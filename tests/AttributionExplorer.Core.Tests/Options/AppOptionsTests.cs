using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Core.Tests.Options;

public class AppOptionsTests
{
    [Fact]
    public void ArraysStartEmptyForBindingAndGetDefaultsOnlyWhenLeftEmpty()
    {
        var options = AppOptions.CreateForBinding();
        Assert.Empty(options.Training.Seeds);
        Assert.Empty(options.Demo.Model.AsppRates);
        options.Training.Seeds = [7];
        options.WithDefaultsForEmptyArrays();
        Assert.Equal([7], options.Training.Seeds);
        Assert.Equal([0, 1, 2, 3], options.Demo.Training.Seeds);
        Assert.Equal([1, 2, 4], options.Model.AsppRates);
    }

    [Fact]
    public void WithEpochsChangesOnlyTheEpochsOfACopy()
    {
        var training = new TrainingOptions { Epochs = 24, BatchSize = 16, LearningRate = 2e-3, WeightDecay = 1e-4, PlateauFactor = 0.3,
            PlateauPatience = 2, HorizontalFlip = false, Seeds = [3, 4], Threads = 2 };
        var copy = training.WithEpochs(12);
        Assert.Equal(24, training.Epochs);
        Assert.Equal(12, copy.Epochs);
        Assert.Equal((16, 2e-3, 1e-4, 0.3, 2, false, 2), (copy.BatchSize, copy.LearningRate, copy.WeightDecay, copy.PlateauFactor, copy.PlateauPatience, copy.HorizontalFlip, copy.Threads));
        Assert.Equal([3, 4], copy.Seeds);
    }
}
