using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Images;
using AttributionExplorer.Precompute.Datasets.Coco;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Datasets.Coco;

/// <summary>A temporary database and image folder (two 4×3 PNGs, a text file named like an image) for import tests.</summary>
public sealed class CocoTestFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("ae-coco").FullName;
    public string Images => Path.Combine(Root, "img");
    public DatasetRepository Repository { get; }

    public CocoTestFolder()
    {
        var db = new SqliteDatabase(Path.Combine(Root, "t.db"));
        db.Migrate();
        Repository = new DatasetRepository(db);
        Directory.CreateDirectory(Images);
        File.WriteAllBytes(Path.Combine(Images, "a.png"), PngBytes.Rgb(4, 3));
        File.WriteAllBytes(Path.Combine(Images, "b.png"), PngBytes.Rgb(4, 3));
        File.WriteAllText(Path.Combine(Images, "notes.png"), "not an image");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>4×3 images; polygon, uncompressed RLE, compressed RLE and crowd annotations.</summary>
    public const string Valid = """
    {"images":[{"id":1,"file_name":"a.png","width":4,"height":3},{"id":2,"file_name":"b.png","width":4,"height":3}],
     "categories":[{"id":1,"name":"cat"},{"id":3,"name":"dog"},{"id":90,"name":"toothbrush"}],
     "annotations":[
       {"id":10,"image_id":1,"category_id":90,"segmentation":[[0,0,2,0,2,2,0,2]],"iscrowd":0},
       {"id":11,"image_id":1,"category_id":3,"segmentation":{"size":[3,4],"counts":[9,3]},"iscrowd":0},
       {"id":12,"image_id":2,"category_id":1,"segmentation":{"size":[3,4],"counts":"0<"},"iscrowd":0},
       {"id":13,"image_id":2,"category_id":1,"segmentation":{"size":[3,4],"counts":[6,6]},"iscrowd":1}
     ]}
    """;

    public string Write(string name, string json)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, json);
        return path;
    }

    public long Import(string trainJson, string? imageRoot = null, string? valJson = null, ImageLimits? limits = null, string name = "t")
    {
        var files = new List<(string, string)> { (Write("train.json", trainJson), Splits.Train) };
        if (valJson is not null) files.Add((Write("val.json", valJson), Splits.Val));
        return CocoImporter.Import(Repository, new CocoImportRequest(name, imageRoot ?? Images, files, null, limits));
    }
}
