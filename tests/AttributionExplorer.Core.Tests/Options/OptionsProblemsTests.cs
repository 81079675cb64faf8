using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Core.Tests.Options;

public class OptionsProblemsTests
{
    [Fact]
    public void DefaultsHaveNoProblems() => Assert.Empty(OptionsProblems.Of(AppOptions.CreateForBinding().WithDefaultsForEmptyArrays()));

    [Fact]
    public void EachBadValueIsNamedByItsKeyAndAllAreReportedTogether()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        options.Trak.ProjectionKind = "sparse";
        options.Demo.Training.Seeds = [1, 1];
        options.Device = "tpu";
        var problems = OptionsProblems.Of(options);
        Assert.Equal(3, problems.Count);
        Assert.Contains("AttributionExplorer:Trak:ProjectionKind = sparse: must be gaussian, rademacher, srht or structured", problems);
        Assert.Contains("AttributionExplorer:Demo:Training:Seeds = 1, 1: must be one or more distinct seeds", problems);
        Assert.Contains("AttributionExplorer:Device = tpu: must be cpu, cuda or cuda:N", problems);
        var error = Assert.Throws<ArgumentException>(() => options.Validated("appsettings.json"));
        Assert.StartsWith("appsettings.json: AttributionExplorer:", error.Message);
    }

    [Fact]
    public void AnUnknownScheduleIsNamedByItsKey()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        options.Demo.Training.Schedule = "onecycle";
        Assert.Equal(["AttributionExplorer:Demo:Training:Schedule = onecycle: must be plateau or cosine"], OptionsProblems.Of(options));
    }

    [Fact]
    public void AnUnknownOptimizerAndAMomentumOutOfRangeAreNamedByTheirKeys()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        options.Training.Optimizer = "rmsprop";
        options.Demo.Training.Momentum = 1.0;
        Assert.Equal(["AttributionExplorer:Training:Optimizer = rmsprop: must be adam or sgd", "AttributionExplorer:Demo:Training:Momentum = 1: must be in [0, 1)"],
            OptionsProblems.Of(options));
    }
}
