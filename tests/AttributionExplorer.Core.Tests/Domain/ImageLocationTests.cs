using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Tests.Domain;

public class ImageLocationTests
{
    private static readonly DatasetInfo Dataset = new(3, "d", "/data/images", "test", DateTime.UtcNow);

    [Theory]
    [InlineData("train/001.png", true)]
    [InlineData("../secret.txt", false)]
    [InlineData("train/../../etc/passwd", false)]
    [InlineData("/etc/passwd", false)]
    public void ImagePathsMustStayUnderTheirFolder(string fileName, bool allowed)
    {
        foreach (var split in new[] { Splits.Train, Splits.Upload })
            Assert.Equal(allowed, ImageLocation.Resolve(Dataset, new ImageRecord(1, 3, 1, split, fileName, 4, 4), "/var/ae") is not null);
    }

    [Fact]
    public void UploadsLiveUnderTheDataRootPerDataset()
    {
        Assert.Equal("/data/images/train/a.png", ImageLocation.Resolve(Dataset, new ImageRecord(1, 3, 1, Splits.Train, "train/a.png", 4, 4), "/var/ae"));
        Assert.Equal("/var/ae/uploads/3/u.png", ImageLocation.Resolve(Dataset, new ImageRecord(2, 3, -1, Splits.Upload, "u.png", 4, 4), "/var/ae"));
    }
}
