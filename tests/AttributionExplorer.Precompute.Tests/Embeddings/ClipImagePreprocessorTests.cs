using AttributionExplorer.Precompute.Embeddings;

namespace AttributionExplorer.Precompute.Tests.Embeddings;

public class ClipImagePreprocessorTests
{
    [Theory]
    [InlineData(640, 480, 224, 298, 224)] // torchvision Resize(224): long side int(224·640/480)
    [InlineData(480, 640, 224, 224, 298)]
    [InlineData(500, 500, 224, 224, 224)]
    [InlineData(16, 8, 8, 16, 8)]
    [InlineData(3, 1000, 224, 224, 74666)]
    public void ShortSideBecomesSizeAndLongSideKeepsTheAspectRatio(int width, int height, int size, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ClipImagePreprocessor.ResizedSize(width, height, size));
    }
}
