using AttributionExplorer.Core.Embeddings;
using CsCheck;

namespace AttributionExplorer.Core.Tests.Embeddings;

public class NpyHeaderParserPropertyTests
{
    [Fact]
    public void HeadersAsNumpyWritesThemParseBack() =>
        Gen.Select(Gen.OneOf("<f4", "<f8", "<f2", ">f4"), Gen.Bool, Gen.Long[0, long.MaxValue].Array[0, 4], Gen.Bool)
            .Sample((descr, fortran, shape, python2Long) =>
            {
                string dims = shape.Length == 1 ? $"{shape[0]}{(python2Long ? "L" : "")}," : string.Join(", ", shape.Select(d => $"{d}{(python2Long ? "L" : "")}"));
                string text = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({dims}), }}".PadRight(118) + "\n";
                var parsed = NpyHeaderParser.Parse(text, "m.npy");
                return parsed.Descr == descr && parsed.FortranOrder == fortran && parsed.Shape.SequenceEqual(shape);
            }, iter: 1000);

    [Fact]
    public void ArbitraryHeadersParseOrFailWithAnInvalidDataExceptionNamingTheFile() =>
        Gen.OneOf(
                Gen.String[Gen.Char[(char)0, (char)127], 0, 80],
                Gen.String[Gen.Char.AlphaNumeric, 0, 30].Select(s => $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({s}), }}"),
                Gen.String[Gen.OneOf('{', '}', '(', ')', ',', ':', '\'', '"', ' ', '1', '9', 'L', 'T', 'F'), 0, 60])
            .Sample(text =>
            {
                try
                {
                    NpyHeaderParser.Parse(text, "m.npy");
                    return true;
                }
                catch (InvalidDataException e) { return e.Message.StartsWith("m.npy: ", StringComparison.Ordinal); }
            }, iter: 5000);

    /// <summary>Found while writing the property above (its random shapes rarely reach 20 digits): a shape dimension
    /// past long.MaxValue threw OverflowException.</summary>
    [Fact]
    public void AShapeDimensionPastLongMaxValueIsAnInvalidDataException()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            NpyHeaderParser.Parse("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), }", "m.npy"));
        Assert.Contains("m.npy", e.Message);
    }
}
