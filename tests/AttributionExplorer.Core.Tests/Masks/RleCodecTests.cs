using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Masks;

public class RleCodecTests
{
    [Fact]
    public void EncodesColumnMajorRunsStartingWithZeros()
    {
        // 3 rows × 4 columns, row-major:
        // 1 0 0 1
        // 1 1 0 1
        // 0 1 0 1
        bool[] mask = [true, false, false, true, true, true, false, true, false, true, false, true];
        // column-major: col0 = 1,1,0  col1 = 0,1,1  col2 = 0,0,0  col3 = 1,1,1 → 0 zeros, 2 ones, 2 zeros, 2 ones, 3 zeros, 3 ones
        var rle = RleCodec.Encode(mask, 3, 4);
        Assert.Equal(new[] { 0, 2, 2, 2, 3, 3 }, rle.Counts);
        Assert.Equal(mask, RleCodec.Decode(rle));
        Assert.Equal(7, RleCodec.Area(rle));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomMasksRoundTripThroughCountsAndCompressedStrings(int seed)
    {
        var random = new Random(seed);
        int h = random.Next(1, 40), w = random.Next(1, 40);
        var mask = Enumerable.Range(0, h * w).Select(_ => random.NextDouble() < 0.3).ToArray();
        var rle = RleCodec.Encode(mask, h, w);
        Assert.Equal(mask, RleCodec.Decode(rle));
        Assert.Equal(rle.Counts, RleCodec.FromCompressedString(RleCodec.ToCompressedString(rle.Counts)));
    }

    [Fact]
    public void CompressedStringMatchesHandEncodedVectors()
    {
        // counts [5, 3, 40, 2]: 5 → '5' (48+5); 3 → '3'; 40 = 0b101000 → chunks 01000|more, 00001 → (8|32)+48='X', 1+48='1';
        // 2 is stored as 2 − counts[1] = −1 → chunk 0x1F (sign bit set, no more) → 31+48 = 'O'.
        Assert.Equal("53X1O", RleCodec.ToCompressedString([5, 3, 40, 2]));
        Assert.Equal(new[] { 5, 3, 40, 2 }, RleCodec.FromCompressedString("53X1O"));
    }

    [Fact]
    public void MalformedInputIsRejected()
    {
        Assert.Throws<FormatException>(() => RleCodec.FromCompressedString("5 3"));
        Assert.Throws<FormatException>(() => RleCodec.FromCompressedString("X"));
        Assert.Throws<FormatException>(() => RleCodec.Decode(new RleMask(2, 2, [1, 2])));
        Assert.Throws<FormatException>(() => RleCodec.Decode(new RleMask(2, 2, [3, 2])));
    }
}
