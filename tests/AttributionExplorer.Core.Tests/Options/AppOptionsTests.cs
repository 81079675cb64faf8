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
        Assert.Equal([0, 1], options.Demo.Training.Seeds);
        Assert.Equal([1, 2, 4], options.Model.AsppRates);
    }
}
