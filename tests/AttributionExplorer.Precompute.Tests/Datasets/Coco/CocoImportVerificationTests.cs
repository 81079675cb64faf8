using System.Text.Json.Nodes;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Images;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Tests.Shared;

namespace AttributionExplorer.Precompute.Tests.Datasets.Coco;

/// <summary>The import checks the files against the JSON, ranges instead of wrapping, and paths; every refusal names
/// file, record, field and rule, and nothing is written.</summary>
public sealed class CocoImportVerificationTests : IDisposable
{
    private readonly CocoTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string With(Action<JsonNode> change)
    {
        var root = JsonNode.Parse(CocoTestFolder.Valid)!;
        change(root);
        return root.ToJsonString();
    }

    private CocoFormatException Refused(string json, string? imageRoot = null, ImageLimits? limits = null)
    {
        var error = Assert.Throws<CocoFormatException>(() => folder.Import(json, imageRoot, limits: limits));
        Assert.Empty(folder.Repository.List());
        return error;
    }

    [Fact]
    public void DeclaredSizeMustBeTheFilesSize()
    {
        var error = Refused(With(r => r["images"]![1]!["width"] = 5));
        Assert.Equal(("train.json", "images[1] (id 2)", "width, height"), (error.File, error.Record, error.Field));
        Assert.EndsWith("b.png is 4×3", error.Message);
        Assert.Contains("declared 5×3", error.Message);
    }

    [Fact]
    public void ANonImageFileIsRefused()
    {
        var error = Refused(With(r => r["images"]![0]!["file_name"] = "notes.png"));
        Assert.Equal(("images[0] (id 1)", "file_name"), (error.Record, error.Field));
        Assert.EndsWith("notes.png is not a PNG or JPEG image", error.Message);
    }

    [Theory]
    [InlineData(100_000, 100_000, "100000×100000 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)")]
    [InlineData(46341, 46341, "46341×46341 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)")]
    [InlineData(8000, 8000, "8000×8000 = 64000000 pixels is over the limit of 40000000 pixels (ImageLimits.MaxPixels)")]
    public void HugeDeclaredSizesAreRefusedBeforeAnyMaskIsRasterizedOrFileRead(int width, int height, string rule)
    {
        // The file is a real decompression bomb of the declared size; only the declaration is needed to refuse it.
        File.WriteAllBytes(Path.Combine(folder.Images, "a.png"), PngBytes.Rgb(width, height, rowsToCompress: 1));
        var error = Refused(With(r => { r["images"]![0]!["width"] = width; r["images"]![0]!["height"] = height; }));
        Assert.Equal(("images[0] (id 1)", "width, height"), (error.Record, error.Field));
        Assert.EndsWith(rule, error.Message);
    }

    [Fact]
    public void AFileLargerThanItsDeclarationAllowsIsRefusedByItsHeader()
    {
        File.WriteAllBytes(Path.Combine(folder.Images, "a.png"), PngBytes.Rgb(100_000, 100_000, rowsToCompress: 1));
        var error = Refused(CocoTestFolder.Valid);
        Assert.Equal(("images[0] (id 1)", "file_name"), (error.Record, error.Field));
        Assert.EndsWith("a.png is 100000×100000 is over the limit of 8192 pixels a side (ImageLimits.MaxSide)", error.Message);
    }

    [Fact]
    public void AFileOverTheByteLimitIsRefused()
    {
        var error = Refused(CocoTestFolder.Valid, limits: new ImageLimits { MaxBytes = 10 });
        Assert.Equal("file_name", error.Field);
        Assert.Contains("is over the limit of 10 bytes (ImageLimits.MaxBytes)", error.Message);
    }

    [Theory]
    [InlineData("annotations", 0, "category_id", 4294967297L, "must be an integer from 0 to 2147483647, got 4294967297")]
    [InlineData("annotations", 0, "category_id", -1L, "must be an integer from 0 to 2147483647, got -1")]
    [InlineData("categories", 0, "id", 4294967297L, "must be an integer from 0 to 2147483647, got 4294967297")]
    [InlineData("images", 0, "id", -5L, "must be an integer from 0 to 9223372036854775807, got -5")]
    [InlineData("annotations", 1, "id", -5L, "must be an integer from 0 to 9223372036854775807, got -5")]
    public void IdsAreRangeCheckedNotWrapped(string array, int index, string field, long value, string rule)
    {
        var error = Refused(With(r => r[array]![index]![field] = value));
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"{array}[{index}]", error.Record);
        Assert.EndsWith(rule, error.Message);
    }

    [Fact]
    public void CategoryId4294967297DoesNotBecome1()
    {
        // Before: (int)4294967297 == 1, so this annotation silently became a "cat".
        var error = Refused(With(r => r["annotations"]![3]!["category_id"] = 4294967297L));
        Assert.Equal(("annotations[3] (id 13)", "category_id"), (error.Record, error.Field));
    }

    [Fact]
    public void AnEmptyTrainingSplitIsRefused()
    {
        var error = Refused("""{"images":[],"categories":[{"id":1,"name":"cat"}],"annotations":[]}""");
        Assert.Equal(("train.json", "(document)", "images"), (error.File, error.Record, error.Field));
        Assert.Equal("train.json: (document): field 'images': the training split has no images", error.Message);
    }

    [Fact]
    public void AnEmptyHeldOutSplitIsAllowed()
    {
        folder.Import(CocoTestFolder.Valid, valJson: """{"images":[],"categories":[],"annotations":[]}""");
        Assert.Single(folder.Repository.List());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/./")]
    public void TheImageFolderMayEndWithASeparator(string suffix)
    {
        long id = folder.Import(CocoTestFolder.Valid, imageRoot: folder.Images + suffix);
        Assert.Equal(2, folder.Repository.CountImages(id, Splits.Train));
        Assert.Equal(folder.Images, folder.Repository.Get(id)!.ImageRoot);
    }

    [Theory]
    [InlineData("../t.db", "points outside the image folder")]
    [InlineData("sub/../../a.png", "points outside the image folder")]
    [InlineData("/etc/passwd", "must be a path relative to the image folder")]
    [InlineData("a.png\0.txt", "must be a path relative to the image folder")]
    public void PathsOutsideTheImageFolderAreRefused(string fileName, string rule)
    {
        var error = Refused(With(r => r["images"]![0]!["file_name"] = fileName));
        Assert.Equal(("images[0] (id 1)", "file_name"), (error.Record, error.Field));
        Assert.EndsWith(rule, error.Message);
    }

    [Fact]
    public void AMissingImageFolderIsNamed()
    {
        var error = Refused(CocoTestFolder.Valid, imageRoot: Path.Combine(folder.Root, "nowhere"));
        Assert.Equal("images", error.Field);
        Assert.Contains("nowhere does not exist", error.Message);
    }

    [Fact]
    public void JpegImagesAreMeasuredToo()
    {
        using var bitmap = new SkiaSharp.SKBitmap(4, 3);
        using var jpeg = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(Path.Combine(folder.Images, "c.jpg"), jpeg.ToArray());
        var error = Refused(With(r => { r["images"]![0]!["file_name"] = "c.jpg"; r["images"]![0]!["height"] = 4; }));
        Assert.EndsWith("declared 4×4 but " + Path.Combine(folder.Images, "c.jpg") + " is 4×3", error.Message);
        long id = folder.Import(With(r => r["images"]![0]!["file_name"] = "c.jpg"));
        Assert.Equal(2, folder.Repository.CountImages(id, Splits.Train));
    }
}
