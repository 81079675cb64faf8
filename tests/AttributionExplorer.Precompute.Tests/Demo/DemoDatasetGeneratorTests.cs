using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Demo;
using SkiaSharp;

namespace AttributionExplorer.Precompute.Tests.Demo;

public class DemoDatasetGeneratorTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-demo").FullName;
    private static readonly DemoOptions Small = new() { Seed = 3, TrainImages = 30, ValImages = 6, ImageSize = 64, LabelErrorRate = 0.2 };

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void SameSeedGivesIdenticalFilesAndAnotherSeedDiffers()
    {
        var a = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "a"));
        var b = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "b"));
        var c = DemoDatasetGenerator.Generate(new DemoOptions { Seed = 4, TrainImages = 30, ValImages = 6, ImageSize = 64, LabelErrorRate = 0.2 }, Path.Combine(root, "c"));
        Assert.Equal(File.ReadAllBytes(a.TrainJson), File.ReadAllBytes(b.TrainJson));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.ImagesDir, "train", "000007.png")), File.ReadAllBytes(Path.Combine(b.ImagesDir, "train", "000007.png")));
        Assert.NotEqual(File.ReadAllBytes(a.TrainJson), File.ReadAllBytes(c.TrainJson));
        Assert.Throws<IOException>(() => DemoDatasetGenerator.Generate(Small, Path.Combine(root, "a")));
    }

    [Fact]
    public void WritesValidCocoWithAllEncodingsAndMasksOnObjectPixels()
    {
        var files = DemoDatasetGenerator.Generate(Small with { }, Path.Combine(root, "d"));
        using var doc = JsonDocument.Parse(File.ReadAllText(files.TrainJson));
        var images = doc.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64(), i => i.GetProperty("file_name").GetString()!);
        Assert.Equal(30, images.Count);
        Assert.Equal(8, doc.RootElement.GetProperty("categories").GetArrayLength());
        int polygons = 0, rle = 0, compressed = 0, onObject = 0, total = 0;
        foreach (var a in doc.RootElement.GetProperty("annotations").EnumerateArray())
        {
            var seg = a.GetProperty("segmentation");
            bool[] mask;
            if (seg.ValueKind == JsonValueKind.Array)
            {
                polygons++;
                var poly = seg[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.True(poly.Length >= 6 && poly.Length % 2 == 0);
                mask = PolygonRasterizer.Rasterize([poly], 64, 64);
            }
            else
            {
                var counts = seg.GetProperty("counts");
                int[] values = counts.ValueKind == JsonValueKind.String
                    ? RleCodec.FromCompressedString(counts.GetString()!)
                    : counts.EnumerateArray().Select(v => v.GetInt32()).ToArray();
                if (counts.ValueKind == JsonValueKind.String) compressed++; else rle++;
                Assert.Equal(64 * 64, values.Sum());
                mask = RleCodec.Decode(new RleMask(64, 64, values));
            }
            Assert.Contains(true, mask);
            Assert.Equal(mask.Count(m => m), a.GetProperty("area").GetDouble());
            // Independent check against the pixels: the mask covers strongly coloured pixels, the background is grey.
            using var bitmap = SKBitmap.Decode(Path.Combine(files.ImagesDir, images[a.GetProperty("image_id").GetInt64()]));
            for (int p = 0; p < mask.Length; p++)
            {
                if (!mask[p]) continue;
                var c = bitmap.GetPixel(p % 64, p / 64);
                total++;
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 40) onObject++;
            }
        }
        Assert.True(polygons > 0 && rle > 0 && compressed > 0, $"polygons {polygons}, rle {rle}, compressed {compressed}");
        Assert.True(onObject > 0.8 * total, $"{onObject} of {total} mask pixels are saturated object colours");
    }

    [Fact]
    public void PlantsTheConfiguredNumberOfErrorsOfEachKindInTrainingImagesOnly()
    {
        var files = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "e"));
        using var doc = JsonDocument.Parse(File.ReadAllText(files.PlantedErrorsJson));
        var errors = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(6, errors.Count);
        Assert.All(errors, e => Assert.InRange(e.GetProperty("image_id").GetInt64(), 1, 30));
        Assert.Equal(2, errors.Count(e => e.GetProperty("kind").GetString() == PlantedErrorKinds.MissingInstance));
        Assert.Equal(2, errors.Count(e => e.GetProperty("kind").GetString() == PlantedErrorKinds.ClassConfusion));
        Assert.Equal(2, errors.Count(e => e.GetProperty("kind").GetString() == PlantedErrorKinds.CorruptedGeometry));
    }

    [Fact]
    public void OccludedInstancesHaveDisjointVisibleMasks()
    {
        var random = new Random(1);
        var plan = DemoErrorPlanFor(Small);
        int overlapping = 0;
        for (int i = 0; i < 40; i++)
        {
            var scene = DemoDatasetGenerator.BuildScene(64, random, null, plan);
            for (int a = 0; a < scene.Instances.Count; a++)
            for (int b = a + 1; b < scene.Instances.Count; b++)
            {
                if (scene.Instances[a].FullMask.Zip(scene.Instances[b].FullMask).Any(p => p.First && p.Second)) overlapping++;
                Assert.False(scene.Instances[a].VisibleMask.Zip(scene.Instances[b].VisibleMask).Any(p => p.First && p.Second));
            }
        }
        Assert.True(overlapping > 0, "no scene had overlapping instances");
    }

    private static DemoErrorPlan DemoErrorPlanFor(DemoOptions options) => DemoErrorPlan.Create(options, new Random(0));
}
