using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Datasets.Coco;

public class CocoImporterTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-coco").FullName;
    private readonly DatasetRepository repository;

    public CocoImporterTests()
    {
        var db = new SqliteDatabase(Path.Combine(root, "t.db"));
        db.Migrate();
        repository = new DatasetRepository(db);
        Directory.CreateDirectory(Path.Combine(root, "img"));
        File.WriteAllBytes(Path.Combine(root, "img", "a.png"), PngBytes.Rgb(4, 3));
        File.WriteAllBytes(Path.Combine(root, "img", "b.png"), PngBytes.Rgb(4, 3));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    // 4×3 images. Annotation 10: polygon (rectangle x 0..2, y 0..2); 11: uncompressed RLE; 12: compressed RLE; 13: crowd.
    private const string Categories = """[{"id":1,"name":"cat"},{"id":3,"name":"dog"},{"id":90,"name":"toothbrush"}]""";
    private static string Valid(string annotationOverride = "") => $$"""
    {"images":[{"id":1,"file_name":"a.png","width":4,"height":3},{"id":2,"file_name":"b.png","width":4,"height":3}],
     "categories":{{Categories}},
     "annotations":[
       {"id":10,"image_id":1,"category_id":90,"segmentation":[[0,0,2,0,2,2,0,2]],"iscrowd":0},
       {"id":11,"image_id":1,"category_id":3,"segmentation":{"size":[3,4],"counts":[9,3]},"iscrowd":0},
       {"id":12,"image_id":2,"category_id":1,"segmentation":{"size":[3,4],"counts":"0<"},"iscrowd":0},
       {"id":13,"image_id":2,"category_id":1,"segmentation":{"size":[3,4],"counts":[6,6]},"iscrowd":1}{{annotationOverride}}
     ]}
    """;

    private string Write(string name, string json)
    {
        string path = Path.Combine(root, name);
        File.WriteAllText(path, json);
        return path;
    }

    private long Import(string json) => CocoImporter.Import(repository,
        new CocoImportRequest("t", Path.Combine(root, "img"), [(Write("train.json", json), Splits.Train)], null));

    [Fact]
    public void KnownErrorsKeepAnyKindLabelAndAnEmptyKindIsNamed()
    {
        string errors = Write("errors.json", """[{"image_id":1,"kind":"team_audit:blurry_edge","detail":"x"},{"image_id":2,"kind":"under_segmented"}]""");
        long id = CocoImporter.Import(repository, new CocoImportRequest("k", Path.Combine(root, "img"), [(Write("train.json", Valid()), Splits.Train)], errors));
        Assert.Equal(["team_audit:blurry_edge", "under_segmented"], repository.GetPlantedErrors(id).Select(e => e.Kind).Order());

        string empty = Write("empty.json", """[{"image_id":1,"kind":" "}]""");
        var error = Assert.Throws<CocoFormatException>(() =>
            CocoImporter.Import(repository, new CocoImportRequest("e", Path.Combine(root, "img"), [(Write("train.json", Valid()), Splits.Train)], empty)));
        Assert.Contains("kind", error.Message);
    }

    [Fact]
    public void ImportsPolygonsBothRleFormsAndCrowdWithCanonicalIds()
    {
        long id = Import(Valid());
        Assert.Equal(new[] { (1, 1), (3, 2), (90, 3) }, repository.GetCategories(id).Select(c => (c.CocoId, c.ModelIndex)));
        var images = repository.GetImages(id, Splits.Train, 0, 10);
        var first = repository.GetAnnotations(images[0].Id);
        var polygon = RleCodec.Decode(first[0].Mask);
        Assert.Equal(new[] { true, true, false, false, true, true, false, false, false, false, false, false }, polygon);
        Assert.Equal(new double[] { 0, 0, 2, 2 }, first[0].Bbox);
        // counts [9,3] column-major in a 3-row image: the whole last column.
        Assert.Equal(new[] { false, false, false, true, false, false, false, true, false, false, false, true }, RleCodec.Decode(first[1].Mask));
        var second = repository.GetAnnotations(images[1].Id);
        Assert.Equal(12, RleCodec.Area(second[0].Mask)); // "0<" = counts [0, 12]: everything
        Assert.True(second[1].IsCrowd);
    }

    [Theory]
    [InlineData("""{"id":14,"image_id":1,"category_id":1,"segmentation":[[0,0,1,1]],"iscrowd":0}""", "annotations[4] (id 14)", "segmentation[0]")]
    [InlineData("""{"id":14,"image_id":1,"category_id":1,"segmentation":{"size":[4,4],"counts":[16]},"iscrowd":0}""", "annotations[4] (id 14)", "segmentation.size")]
    [InlineData("""{"id":14,"image_id":1,"category_id":1,"segmentation":{"size":[3,4],"counts":[5,5]},"iscrowd":0}""", "annotations[4] (id 14)", "segmentation.counts")]
    [InlineData("""{"id":14,"image_id":1,"category_id":1,"segmentation":{"size":[3,4],"counts":"0 "},"iscrowd":0}""", "annotations[4] (id 14)", "segmentation.counts")]
    [InlineData("""{"id":14,"image_id":1,"category_id":2,"segmentation":[[0,0,1,0,1,1]],"iscrowd":0}""", "annotations[4] (id 14)", "category_id")]
    [InlineData("""{"id":14,"image_id":7,"category_id":1,"segmentation":[[0,0,1,0,1,1]],"iscrowd":0}""", "annotations[4] (id 14)", "image_id")]
    [InlineData("""{"id":14,"image_id":1,"category_id":1,"iscrowd":0}""", "annotations[4] (id 14)", "segmentation")]
    public void MalformedAnnotationsNameFileRecordAndFieldAndImportNothing(string bad, string record, string field)
    {
        var error = Assert.Throws<CocoFormatException>(() => Import(Valid("," + bad)));
        Assert.Equal("train.json", error.File);
        Assert.Equal(record, error.Record);
        Assert.Equal(field, error.Field);
        Assert.Contains("train.json", error.Message);
        Assert.Empty(repository.List());
    }

    [Fact]
    public void DuplicateImageIdsAndMissingFilesAreRejected()
    {
        var duplicate = Valid().Replace("\"id\":2,\"file_name\"", "\"id\":1,\"file_name\"");
        Assert.Equal("id", Assert.Throws<CocoFormatException>(() => Import(duplicate)).Field);
        File.Delete(Path.Combine(root, "img", "b.png"));
        var missing = Assert.Throws<CocoFormatException>(() => Import(Valid()));
        Assert.Equal(("images[1] (id 2)", "file_name"), (missing.Record, missing.Field));
        Assert.Empty(repository.List());
    }
}
