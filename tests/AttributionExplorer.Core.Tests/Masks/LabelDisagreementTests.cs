using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Masks;

public class LabelDisagreementTests
{
    [Fact]
    public void APixelDisagreesWhenTheLabelsDifferExceptWhereTheAnnotationIsIgnored()
    {
        byte[] labels = [0, 1, 1, 2, SemanticLabelMap.IgnoreIndex, 0];
        byte[] predicted = [0, 1, 2, 0, 3, 4];
        Assert.Equal([false, false, true, true, false, true], LabelDisagreement.Of(labels, predicted));
    }

    [Fact]
    public void MapsOfDifferentSizesAreRejected() =>
        Assert.Contains("label map has 2 pixels, prediction 3", Assert.Throws<ArgumentException>(() => LabelDisagreement.Of([0, 1], [0, 1, 2])).Message);
}
