using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Tests.Domain;

public class TextLimitsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(200, null)]
    [InlineData(201, "author: 201 characters is over the limit of 200")]
    [InlineData(1 << 20, "author: 1048576 characters is over the limit of 200")]
    public void TextOverTheLimitIsNamedWithItsLength(int? length, string? expected) =>
        Assert.Equal(expected, TextLimits.Check("author", length is null ? null : new string('a', length.Value), TextLimits.Name));
}
