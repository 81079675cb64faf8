using AttributionExplorer.Precompute.Evaluation;

namespace AttributionExplorer.Precompute.Tests.Evaluation;

public class ConfusionMatrixTests
{
    [Fact]
    public void MeanIouMatchesHandComputation()
    {
        var m = new ConfusionMatrix(4);
        // labels: 0 0 1 1 1 255 ; predictions: 0 1 1 1 0 3  (class 2 absent everywhere, class 3 only on an ignored pixel)
        m.Add([0, 0, 1, 1, 1, 255], [0, 1, 1, 1, 0, 3]);
        // class 0: TP 1, FP 1, FN 1 → 1/3 ; class 1: TP 2, FP 1, FN 1 → 2/4 ; classes 2, 3 absent → left out.
        Assert.Equal((1.0 / 3 + 0.5) / 2, m.MeanIou(), 10);
    }

    [Fact]
    public void PredictedButAbsentClassCountsAsZero()
    {
        var m = new ConfusionMatrix(3);
        m.Add([0, 0], [0, 2]);
        // class 0: TP 1, FN 1 → 1/2 ; class 2: FP 1 → 0.
        Assert.Equal(0.25, m.MeanIou(), 10);
    }
}
