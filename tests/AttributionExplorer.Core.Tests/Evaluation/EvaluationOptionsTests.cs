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

    [Fact]
    public void CurationNeedsTwoDistinctSeedsDetectorOrdersWithoutRandomAndALevelBelowOne()
    {
        var options = new EvaluationOptions();
        options.Curation.Seeds = [3];
        options.Curation.Orders = ["confidence", "random", "confidence"];
        options.Curation.Percents = [10, 10];
        options.Curation.Level = 1;

        var problems = options.Problems();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("AttributionExplorer:Evaluation:Curation:Seeds = 3: needs ≥ 2 distinct seeds"));
        Assert.Contains("AttributionExplorer:Evaluation:Curation:Orders = confidence, random, confidence: each order once", problems);
        Assert.Contains(problems, p => p.StartsWith("AttributionExplorer:Evaluation:Curation:Orders = confidence, random, confidence: 'random' is the control"));
        Assert.Contains("AttributionExplorer:Evaluation:Curation:Percents = 10, 10: each percent once", problems);
        Assert.Contains("AttributionExplorer:Evaluation:Curation:Level = 1: must be in (0.5, 1), e.g. 0.95", problems);
    }

    [Fact]
    public void CurationDefaultsAreTheDefaultDetectorAndConfidenceAtTenTwentyFiveAndFiftyPercentWithFiveSeeds()
    {
        var curation = new EvaluationOptions().Curation;
        Assert.Equal([CurationOptions.DefaultDetector, "confidence"], curation.Orders);
        Assert.Equal([10, 25, 50], curation.Percents);
        Assert.Equal(5, curation.Seeds.Length);
        Assert.Equal(0.95, curation.Level);
    }
}
