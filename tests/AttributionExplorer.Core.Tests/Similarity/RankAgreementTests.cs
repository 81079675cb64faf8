using AttributionExplorer.Core.Similarity;

namespace AttributionExplorer.Core.Tests.Similarity;

public class RankAgreementTests
{
    [Fact]
    public void IdenticalRankingsAgreeFullyAndReversedOnesAreAnticorrelated()
    {
        var a = Enumerable.Range(0, 60).Select(i => (float)i).ToArray();
        var same = RankAgreement.Compute(a, a.Select(x => 2 * x + 1).ToArray());
        Assert.Equal(new RankAgreementFigures(1, 1, 1, 60), same with { SpearmanTop50Union = Math.Round(same.SpearmanTop50Union!.Value, 12) });

        var reversed = RankAgreement.Compute(a, a.Select(x => -x).ToArray());
        Assert.Equal(0, reversed.OverlapAt10);
        // top-50 of a = items 10..59, of −a = items 0..49: 40 shared of 50.
        Assert.Equal(0.8, reversed.OverlapAt50, 12);
        Assert.Equal(-1, reversed.SpearmanTop50Union!.Value, 12);
    }

    [Fact]
    public void OverlapClipsKAndNaNItemsAreNoCandidates()
    {
        float[] a = [5, 4, 3, float.NaN, 1];
        float[] b = [1, 4, 3, 9, 5];
        var f = RankAgreement.Compute(a, b);
        // Candidates 0,1,2,4; k clipped to 4 → every candidate in both top lists.
        Assert.Equal(4, f.Candidates);
        Assert.Equal(1, f.OverlapAt10);
        // a ranks (5,4,3,1) → 4,3,2,1 ; b (1,4,3,5) → 1,3,2,4: hand-computed Spearman = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·18/60 = −0.8
        Assert.Equal(-0.8, f.SpearmanTop50Union!.Value, 12);
        Assert.Equal(0.5, RankAgreement.Overlap([3, 2, 1, 0], [3, 0, 1, 2], 2));
    }

    [Fact]
    public void TiesGetAverageRanksAndDegenerateCasesHaveNoSpearman()
    {
        Assert.Equal(new[] { 1.5, 1.5, 3, 4.5, 4.5 }, RankAgreement.Ranks([1, 1, 2, 7, 7]));
        Assert.Null(RankAgreement.Spearman([1, 2], [2, 1]));
        Assert.Null(RankAgreement.Spearman([1, 1, 1], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => RankAgreement.Compute([1f], [1f, 2f]));
    }
}
