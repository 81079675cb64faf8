using AttributionExplorer.Core.Masks;
using CsCheck;

namespace AttributionExplorer.Core.Tests.Masks;

/// <summary>Random masks and strings; a failure prints the CsCheck seed that reproduces it (becomes a named test).</summary>
public class RleCodecPropertyTests
{
    private static readonly Gen<(int Height, int Width, bool[] Mask)> Masks =
        from h in Gen.Int[1, 24]
        from w in Gen.Int[1, 24]
        from density in Gen.Double[0, 1]
        from bits in Gen.Double.Unit.Array[h * w]
        select (h, w, bits.Select(b => b < density).ToArray());

    [Fact]
    public void EncodeThenDecodeIsTheIdentityAndAreaCountsTheSetPixels() =>
        Masks.Sample(m =>
        {
            var rle = RleCodec.Encode(m.Mask, m.Height, m.Width);
            return RleCodec.Decode(rle).SequenceEqual(m.Mask)
                && RleCodec.Area(rle) == m.Mask.Count(b => b)
                && rle.Counts.Sum(c => (long)c) == (long)m.Height * m.Width
                && rle.Counts.Skip(1).All(c => c > 0);
        }, iter: 500);

    [Fact]
    public void CompressedStringsRoundTripAnyNonNegativeCounts() =>
        Gen.Int[0, int.MaxValue].Array[0, 40].Sample(counts =>
            RleCodec.FromCompressedString(RleCodec.ToCompressedString(counts)).SequenceEqual(counts), iter: 2000);

    [Fact]
    public void ArbitraryCompressedStringsParseOrFailWithAFormatException() =>
        Gen.OneOf(Gen.String[Gen.Char[(char)0, (char)127], 0, 40], Gen.String[Gen.Char['0', 'o'], 0, 40]).Sample(s =>
        {
            try { return RleCodec.FromCompressedString(s).All(c => c >= 0); }
            catch (FormatException) { return true; }
        }, iter: 5000);

    [Fact]
    public void DecodeRefusesCountsThatDoNotCoverTheImage() =>
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[0, 100].Array[0, 10]).Sample((h, w, counts) =>
        {
            try
            {
                RleCodec.Decode(new RleMask(h, w, counts));
                return counts.Sum() == h * w;
            }
            catch (FormatException) { return counts.Sum() != h * w; }
        }, iter: 2000);
}
