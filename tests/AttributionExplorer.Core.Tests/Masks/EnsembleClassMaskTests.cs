using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Masks;

public class EnsembleClassMaskTests
{
    [Fact]
    public void APixelIsTheClassWhenAtLeastHalfOfTheMembersPredictIt()
    {
        byte[][] predictions = [[1, 1, 2, 0, 1], [1, 2, 2, 0, 0], [1, 2, 0, 0, 0]];
        // Votes for class 1 per pixel: 3, 1, 0, 0, 1 of 3 → only pixel 0 has ≥ 1.5; class 2: 0, 2, 2, 0, 0.
        Assert.Equal([true, false, false, false, false], EnsembleClassMask.Of(predictions, 1));
        Assert.Equal([false, true, true, false, false], EnsembleClassMask.Of(predictions, 2));
    }

    [Fact]
    public void WithTwoMembersOneVoteIsHalf() =>
        Assert.Equal([true, true, false], EnsembleClassMask.Of([[3, 0, 0], [0, 3, 0]], 3));

    [Fact]
    public void MapsOfDifferentSizesAreRejected() =>
        Assert.Throws<ArgumentException>(() => EnsembleClassMask.Of([[1, 2], [1]], 1));
}
