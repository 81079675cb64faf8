using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Worker.Plugins.TrainOthers;
using static AttributionExplorer.Precompute.Tests.Plugins.KernelBruteForce;

namespace AttributionExplorer.Precompute.Tests.Plugins.TrainOthers;

public class TrainOthersDetectorTests
{
    /// <summary>For each image j: the mean over the other images i of −φᵢᵀ(ΦᵀΦ + ridge·I)⁻¹φⱼ, summed by hand.</summary>
    [Fact]
    public void EffectOnOthersIsTheMeanOverOtherImagesOfMinusTheirKernelProduct()
    {
        const double lambda = 1e-2;
        var (phi, rows) = RandomFeatures(4, n: 14, k: 5);
        var inverse = Inverse(rows, lambda);
        using var scoring = TrakScorer.ScoringMatrix(phi, lambda);

        var effect = TrainOthersDetector.EffectOnOthers(phi, scoring);

        for (int j = 0; j < rows.Length; j++)
        {
            double expected = Enumerable.Range(0, rows.Length).Where(i => i != j).Average(i => -Quadratic(rows[i], inverse, rows[j]));
            Assert.Equal(expected, effect[j], 4);
        }
    }
}
