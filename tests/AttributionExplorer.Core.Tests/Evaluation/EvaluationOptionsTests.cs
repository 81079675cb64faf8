using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class EvaluationOptionsTests
{
    [Fact]
    public void DefaultsAreUsable() => Assert.Empty(new EvaluationOptions().Problems());

    [Fact]
    public void EachOutOfRangeSettingIsReportedWithItsKeyAndRule()
    {
        var options = new EvaluationOptions { Epochs = -1, ConfidenceTemperature = 0 };
        options.Lds.Subsets = 2;
        options.Counterfactual.RemovePercents = [10, 100];
        options.Curation.Percents = [0, -5];
        options.Brittleness.MaxSupportPercent = 0;

        var problems = options.Problems();

        Assert.Equal(6, problems.Count);
        Assert.Contains("AttributionExplorer:Evaluation:Epochs = -1: must be ≥ 0 (0 = the training setting)", problems);
        Assert.Contains("AttributionExplorer:Evaluation:ConfidenceTemperature = 0: must be > 0", problems);
        Assert.Contains("AttributionExplorer:Evaluation:Lds:Subsets = 2: must be ≥ 3 (a rank correlation needs 3 points)", problems);
        Assert.Contains("AttributionExplorer:Evaluation:Counterfactual:RemovePercents = 10, 100: each must be 1–99", problems);
        Assert.Contains("AttributionExplorer:Evaluation:Curation:Percents = 0, -5: each must be 0–99", problems);
        Assert.Contains("AttributionExplorer:Evaluation:Brittleness:MaxSupportPercent = 0: must be 1–99", problems);
    }
}
