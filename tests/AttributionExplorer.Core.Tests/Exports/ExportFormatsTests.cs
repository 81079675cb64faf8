using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Core.Tests.Exports;

public class ExportFormatsTests
{
    private static readonly ImageRecord A = new(5, 1, 100, Splits.Train, "a.png", 3, 2);
    private static readonly ImageRecord B = new(8, 1, 7, Splits.Train, "we,ird \"name\".png", 3, 2);
    private static readonly ExportRecord Export = new(12, 1, "ann", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        new ExportRule(4, 10, [FlagStates.Confirmed]), 2, ExportHash.Of([5, 8]));

    [Fact]
    public void PlainTextIsOneCocoIdPerLine() => Assert.Equal("100\n7\n", ExportFormats.PlainText([A, B]));

    [Fact]
    public void CsvQuotesFieldsWithCommasAndDoublesQuotes()
    {
        Assert.Equal("coco_id,file_name\r\n100,a.png\r\n7,\"we,ird \"\"name\"\".png\"\r\n", ExportFormats.CsvTable([A, B]));
        Assert.Equal("\"two\nlines\"", ExportFormats.CsvField("two\nlines"));
    }

    [Fact]
    public void JsonHoldsTheExportTheRuleAndTheIds()
    {
        using var doc = JsonDocument.Parse(ExportFormats.JsonDocument(Export, [A, B]));
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("export").GetProperty("id").GetInt64());
        Assert.Equal("ann", root.GetProperty("export").GetProperty("author").GetString());
        Assert.Equal(Export.Sha256, root.GetProperty("export").GetProperty("sha256").GetString());
        Assert.Equal(10, root.GetProperty("rule").GetProperty("dropBottomPercent").GetDouble());
        Assert.Equal(4, root.GetProperty("rule").GetProperty("runId").GetInt64());
        Assert.False(root.TryGetProperty("image_ids", out _));
        Assert.Equal([100L, 7], root.GetProperty("coco_ids").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public void FileNamesSayTheExportAndItsCount()
    {
        Assert.Equal("export-12-kept-2.txt", ExportFormats.FileName(Export, "txt"));
        Assert.Equal("export-12-kept-2.csv", ExportFormats.FileName(Export, "csv"));
        Assert.Equal("export-12-kept-2-coco.json", ExportFormats.FileName(Export, "coco"));
        Assert.Contains("format: 'xml'", Assert.Throws<ArgumentException>(() => ExportFormats.FileName(Export, "xml")).Message);
    }

    [Fact]
    public void CocoSubsetIsValidCocoWithOnlyTheExportedImagesAnnotations()
    {
        // Row-major 2×3 mask; column-major pixels are 0,0 | 1,1 | 1,0 → runs of 0s/1s: 2 zeros, 3 ones, 1 zero.
        var mask = RleCodec.Encode([false, true, true, false, true, false], 2, 3);
        var annotations = new Dictionary<long, IReadOnlyList<AnnotationRecord>>
        {
            [5] = [new(50, 5, 500, 3, false, mask, [1, 0, 2, 2], 3), new(51, 5, 501, 90, true, mask, [1, 0, 2, 2], 3)],
            [8] = [new(52, 8, 502, 3, false, mask, [1, 0, 2, 2], 3)],
            [9] = [new(53, 9, 503, 3, false, mask, [1, 0, 2, 2], 3)], // image 9 is not exported
        };
        Category[] categories = [new(90, "toothbrush", null, 2), new(3, "cat", "animal", 1)];

        using var doc = JsonDocument.Parse(CocoSubsetWriter.Write("export 12", [A, B], annotations, categories));
        var root = doc.RootElement;
        var images = root.GetProperty("images").EnumerateArray().ToArray();
        var anns = root.GetProperty("annotations").EnumerateArray().ToArray();
        var cats = root.GetProperty("categories").EnumerateArray().ToArray();
        Assert.Equal((2, 3, 2), (images.Length, anns.Length, cats.Length));

        var imageIds = images.Select(i => i.GetProperty("id").GetInt64()).ToHashSet();
        Assert.Equal([100L, 7], imageIds);
        Assert.All(anns, a => Assert.Contains(a.GetProperty("image_id").GetInt64(), imageIds));
        var catIds = cats.Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
        Assert.All(anns, a => Assert.Contains(a.GetProperty("category_id").GetInt32(), catIds));
        Assert.Equal([500L, 501, 502], anns.Select(a => a.GetProperty("id").GetInt64()));
        Assert.Equal([0, 1, 0], anns.Select(a => a.GetProperty("iscrowd").GetInt32()));

        var seg = anns[0].GetProperty("segmentation");
        Assert.Equal([2, 3], seg.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([2, 3, 1], RleCodec.FromCompressedString(seg.GetProperty("counts").GetString()!));
        Assert.Equal([1.0, 0, 2, 2], anns[0].GetProperty("bbox").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(3, anns[0].GetProperty("area").GetDouble());
        Assert.Equal("animal", cats.Single(c => c.GetProperty("id").GetInt32() == 3).GetProperty("supercategory").GetString());
        Assert.Equal("we,ird \"name\".png", images[1].GetProperty("file_name").GetString());
    }

    [Fact]
    public void CountsWithJsonSpecialCharactersSurviveTheRoundTrip()
    {
        // A 200×1 mask with n zeros then ones; some n encodes to counts containing a backslash, which JSON must escape.
        var counts = Enumerable.Range(1, 199).Select(n => new[] { n, 200 - n })
            .First(c => RleCodec.ToCompressedString(c).Contains('\\'));
        var image = new ImageRecord(5, 1, 100, Splits.Train, "a.png", 1, 200);
        var annotations = new Dictionary<long, IReadOnlyList<AnnotationRecord>>
        {
            [5] = [new(50, 5, 500, 3, false, new RleMask(200, 1, counts), [0, counts[0], 1, counts[1]], counts[1])],
        };
        using var doc = JsonDocument.Parse(CocoSubsetWriter.Write("x", [image], annotations, []));
        string back = doc.RootElement.GetProperty("annotations")[0].GetProperty("segmentation").GetProperty("counts").GetString()!;
        Assert.Equal(counts, RleCodec.FromCompressedString(back));
    }

    [Fact]
    public void CocoRejectsAMaskOfTheWrongSize()
    {
        var mask = RleCodec.Encode(new bool[4], 2, 2);
        var annotations = new Dictionary<long, IReadOnlyList<AnnotationRecord>> { [5] = [new(50, 5, 500, 3, false, mask, [0, 0, 1, 1], 0)] };
        Assert.Contains("annotation 50", Assert.Throws<ArgumentException>(() => CocoSubsetWriter.Write("x", [A], annotations, [])).Message);
    }
}
