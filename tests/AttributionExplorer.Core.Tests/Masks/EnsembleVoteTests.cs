using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Masks;

public class EnsembleVoteTests
{
    [Fact]
    public void EachPixelTakesTheLabelMostMembersPredict()
    {
        byte[][] predictions = [[1, 2, 2, 0], [1, 2, 3, 5], [4, 0, 3, 5]];
        Assert.Equal(new byte[] { 1, 2, 3, 5 }, EnsembleVote.Of(predictions));
    }

    [Fact]
    public void ATieGoesToTheSmallerLabel() =>
        Assert.Equal(new byte[] { 0, 2, 7 }, EnsembleVote.Of([[3, 2, 7], [0, 9, 7]]));

    [Fact]
    public void OneMemberIsItsOwnVote() => Assert.Equal(new byte[] { 4, 0, 255 }, EnsembleVote.Of([[4, 0, 255]]));

    [Fact]
    public void NoMembersOrMapsOfDifferentSizesAreRejected()
    {
        Assert.Contains("no predicted label maps", Assert.Throws<ArgumentException>(() => EnsembleVote.Of([])).Message);
        Assert.Contains("differ in size", Assert.Throws<ArgumentException>(() => EnsembleVote.Of([[1, 2], [1]])).Message);
    }
}
