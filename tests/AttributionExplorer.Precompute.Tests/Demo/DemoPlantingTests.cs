using System.Security.Cryptography;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Demo;

namespace AttributionExplorer.Precompute.Tests.Demo;

/// <summary>The planting seed: the default demo is unchanged byte for byte; with a planting seed the scenes stay and
/// the errors move; every kind is planted where the pixels say it is.</summary>
public class DemoPlantingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-planting").FullName;
    private static readonly DemoOptions Small = new() { Seed = 3, TrainImages = 60, ValImages = 4, ImageSize = 64, LabelErrorRate = 0.35, PlantingSeed = 1 };

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void WithoutAPlantingSeedTheDemoIsByteIdenticalToItsOutputBeforePlantingSeedsExisted()
    {
        // Recorded from commit 46a0eea (before this option) with the default DemoOptions of then: 240 training images.
        var files = DemoDatasetGenerator.Generate(new DemoOptions { TrainImages = 240 }, Path.Combine(root, "default"));
        Assert.Equal("4611736203f702570ba05d0a5b0357826331dc596e1d18fc624b74efc2643498", Sha(files.TrainJson));
        Assert.Equal("a922e7dbfb8027cc11e1b0cf21c5ab79456c8ef8dda501dfb0af99f8852e3f66", Sha(files.PlantedErrorsJson));
        Assert.Equal("2ccfbc903028b4557a462d1dfff435702af365c8bd83dc6aaab4eed1678ec8d0", Sha(Path.Combine(files.ImagesDir, "train", "000007.png")));
    }

    [Fact]
    public void AnotherPlantingSeedKeepsEveryPixelAndMovesTheErrors()
    {
        var a = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "a"));
        var b = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "b"));
        var c = DemoDatasetGenerator.Generate(Small with { PlantingSeed = 2 }, Path.Combine(root, "c"));
        Assert.Equal(File.ReadAllBytes(a.TrainJson), File.ReadAllBytes(b.TrainJson));
        Assert.Equal(File.ReadAllBytes(a.PlantedErrorsJson), File.ReadAllBytes(b.PlantedErrorsJson));
        foreach (var file in Directory.GetFiles(a.ImagesDir, "*.png", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(file.Replace(Path.Combine(root, "a"), Path.Combine(root, "c"))));
        Assert.NotEqual(ErrorImages(a), ErrorImages(c));
        Assert.Equal(ErrorImages(a).Count, ErrorImages(c).Count);
    }

    [Fact]
    public void EveryKindIsPlantedAndDiffersFromTheCleanAnnotationOfTheSameScene()
    {
        var files = DemoDatasetGenerator.Generate(Small, Path.Combine(root, "d"));
        var clean = DemoDatasetGenerator.Generate(Small with { LabelErrorRate = 0 }, Path.Combine(root, "clean"));
        using var planted = JsonDocument.Parse(File.ReadAllText(files.PlantedErrorsJson));
        var errors = planted.RootElement.EnumerateArray().ToList();
        Assert.Equal(21, errors.Count);
        Assert.Equal(PlantedErrorKinds.All.Order(), errors.Select(e => e.GetProperty("kind").GetString()!).Distinct().Order());
        var withErrors = Annotations(files.TrainJson);
        var cleanAnnotations = Annotations(clean.TrainJson);

        foreach (var error in errors)
        {
            string kind = error.GetProperty("kind").GetString()!;
            long imageId = error.GetProperty("image_id").GetInt64();
            var ids = error.GetProperty("annotation_ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
            var mine = withErrors[imageId].Where(a => !a.Crowd).ToList();
            var reference = cleanAnnotations[imageId];
            var referenceObjects = reference.Where(a => !a.Crowd).ToList();
            if (kind == PlantedErrorKinds.MissingInstance)
            {
                Assert.Empty(ids);
                Assert.Equal(referenceObjects.Count - 1, mine.Count);
                continue;
            }
            var id = Assert.Single(ids, i => kind != PlantedErrorKinds.ClassConfusion || i == ids[0]);
            int position = mine.FindIndex(a => a.Id == id);
            var wrong = mine[position];
            string because = $"{kind} in image {imageId}";
            if (kind == PlantedErrorKinds.BackgroundAnnotation)
            {
                Assert.Equal(referenceObjects.Count + 1, mine.Count);
                var occupied = reference.SelectMany(a => Enumerable.Range(0, a.Mask.Length).Where(p => a.Mask[p])).ToHashSet();
                Assert.True(Enumerable.Range(0, wrong.Mask.Length).Where(p => wrong.Mask[p]).All(p => !occupied.Contains(p)), because);
                continue;
            }
            var truth = referenceObjects[position];
            int area = wrong.Mask.Count(m => m), truthArea = truth.Mask.Count(m => m);
            int outside = Enumerable.Range(0, area == 0 ? 0 : wrong.Mask.Length).Count(p => wrong.Mask[p] && !truth.Mask[p]);
            int inside = Enumerable.Range(0, wrong.Mask.Length).Count(p => wrong.Mask[p] && truth.Mask[p]);
            switch (kind)
            {
                case PlantedErrorKinds.ClassConfusion or PlantedErrorKinds.WrongClass:
                    Assert.NotEqual(truth.Category, wrong.Category);
                    Assert.True(inside > 0.8 * Math.Max(area, truthArea), because);
                    break;
                case PlantedErrorKinds.UnderSegmented:
                    Assert.True(outside <= 0.1 * area && area < 0.8 * truthArea, $"{because}: {area} vs {truthArea} px, {outside} outside");
                    break;
                case PlantedErrorKinds.OverSegmented:
                    Assert.True(inside >= 0.9 * truthArea && area > 1.2 * truthArea, $"{because}: {area} vs {truthArea} px, {inside} inside");
                    break;
                case PlantedErrorKinds.CorruptedGeometry:
                    Assert.True(inside < 0.5 * area, $"{because}: {inside} of {area} px on the object");
                    break;
            }
            Assert.Equal(truth.Category == wrong.Category, kind is not (PlantedErrorKinds.ClassConfusion or PlantedErrorKinds.WrongClass));
        }
    }

    private sealed record Annotation(long Id, int Category, bool Crowd, bool[] Mask);

    private static Dictionary<long, List<Annotation>> Annotations(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("annotations").EnumerateArray()
            .Select(a => (Image: a.GetProperty("image_id").GetInt64(), Annotation: new Annotation(a.GetProperty("id").GetInt64(),
                a.GetProperty("category_id").GetInt32(), a.GetProperty("iscrowd").GetInt32() == 1, Mask(a))))
            .GroupBy(p => p.Image).ToDictionary(g => g.Key, g => g.Select(p => p.Annotation).ToList());
    }

    [Fact]
    public void ErrorKindsRestrictThePlantingAndUnknownKindsAreNamed()
    {
        var files = DemoDatasetGenerator.Generate(Small with { ErrorKinds = "wrong_class, under_segmented" }, Path.Combine(root, "e"));
        using var planted = JsonDocument.Parse(File.ReadAllText(files.PlantedErrorsJson));
        Assert.Equal(["under_segmented", "wrong_class"], planted.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).Distinct().Order());
        var error = Assert.Throws<ArgumentException>(() => DemoDatasetGenerator.Generate(Small with { ErrorKinds = "typo" }, Path.Combine(root, "f")));
        Assert.Contains("'typo'", error.Message);
    }

    private static List<long> ErrorImages(DemoDatasetFiles files)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(files.PlantedErrorsJson));
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("image_id").GetInt64()).Order().ToList();
    }

    private static bool[] Mask(JsonElement annotation)
    {
        var seg = annotation.GetProperty("segmentation");
        if (seg.ValueKind == JsonValueKind.Array)
            return PolygonRasterizer.Rasterize([seg[0].EnumerateArray().Select(v => v.GetDouble()).ToArray()], 64, 64);
        var counts = seg.GetProperty("counts");
        int[] values = counts.ValueKind == JsonValueKind.String
            ? RleCodec.FromCompressedString(counts.GetString()!)
            : counts.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return RleCodec.Decode(new RleMask(64, 64, values));
    }
}
