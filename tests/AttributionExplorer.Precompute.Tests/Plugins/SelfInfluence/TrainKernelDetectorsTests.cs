using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Worker.Plugins.SelfInfluence;
using static AttributionExplorer.Precompute.Tests.Plugins.KernelBruteForce;

namespace AttributionExplorer.Precompute.Tests.Plugins.SelfInfluence;

public class TrainKernelDetectorsTests
{
    [Fact]
    public void SelfInfluenceIsEachFeatureRowsQuadraticFormInTheRegularizedKernelInverse()
    {
        const double lambda = 1e-2;
        var (phi, rows) = RandomFeatures(3, n: 14, k: 5);
        var inverse = Inverse(rows, lambda);
        using var scoring = TrakScorer.ScoringMatrix(phi, lambda);

        var self = TrainKernelDetectors.SelfInfluence(phi, scoring);

        for (int i = 0; i < rows.Length; i++)
            Assert.Equal(Quadratic(rows[i], inverse, rows[i]), self[i], 5);
    }
}
