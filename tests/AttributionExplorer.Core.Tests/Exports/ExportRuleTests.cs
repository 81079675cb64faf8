using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;

namespace AttributionExplorer.Core.Tests.Exports;

public class ExportRuleTests
{
    [Fact]
    public void ValidRulesHaveNoProblem()
    {
        Assert.Null(new ExportRule(null, 0, []).Problem());
        Assert.Null(new ExportRule(3, 100, [FlagStates.Suspected, FlagStates.Confirmed]).Problem());
    }

    [Theory]
    [InlineData(-0.1, "dropBottomPercent")]
    [InlineData(100.01, "dropBottomPercent")]
    [InlineData(double.NaN, "dropBottomPercent")]
    public void PercentOutsideZeroToHundredIsRejected(double percent, string field) =>
        Assert.StartsWith(field, new ExportRule(1, percent, []).Problem());

    [Fact]
    public void DroppingTheBottomNeedsARunAndStatesMustBeKnown()
    {
        Assert.StartsWith("runId", new ExportRule(null, 5, []).Problem());
        Assert.StartsWith("dropFlagStates: 'maybe'", new ExportRule(null, 0, ["suspected", "maybe"]).Problem());
        Assert.Throws<ArgumentException>(() => new ExportRule(null, 0, ["Suspected"]).Validated());
    }

    [Fact]
    public void JsonIsCanonicalAndRoundTrips()
    {
        var rule = new ExportRule(7, 2.5, ["suspected", "confirmed", "suspected"]);
        string json = rule.ToJson();
        Assert.Equal("""{"runId":7,"dropBottomPercent":2.5,"dropFlagStates":["confirmed","suspected"]}""", json);
        var back = ExportRule.FromJson(json, "test");
        Assert.Equal((7L, 2.5), (back.RunId!.Value, back.DropBottomPercent));
        Assert.Equal(["confirmed", "suspected"], back.DropFlagStates);
        Assert.Equal(json, new ExportRule(7, 2.5, ["confirmed", "suspected"]).ToJson());
    }

    [Fact]
    public void HashIsSha256OfAscendingIdsOnePerLine()
    {
        // Reference values from Python: hashlib.sha256(b"1\n2\n10\n").hexdigest() and of b"".
        Assert.Equal("29186ee59865abdf5f37da40cefc9e7f345e49860aefd7a8f43438cdaf88f856", ExportHash.Of([10, 1, 2]));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ExportHash.Of([]));
    }
}
