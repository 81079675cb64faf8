using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Tests;

internal sealed class TempDatabase : IDisposable
{
    public TempDatabase(bool migrate = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ae-test-{Guid.NewGuid():N}", "test.db");
        Database = new SqliteDatabase(Path);
        if (migrate) Database.Migrate();
    }

    public string Path { get; }
    public SqliteDatabase Database { get; }

    public static DatasetImport SampleImport(string name = "sample", int train = 4, int val = 2)
    {
        var mask = RleCodec.Encode([false, true, true, false, true, false], 2, 3);
        var images = new List<ImportedImage>();
        for (int i = 0; i < train + val; i++)
            images.Add(new ImportedImage(100 + i, i < train ? Splits.Train : Splits.Val, $"f{i}.png", 3, 2,
                [new ImportedAnnotation(1000 + i, i % 2 == 0 ? 3 : 90, i == 1, mask, [0, 0, 3, 2], RleCodec.Area(mask))]));
        return new DatasetImport(name, "/data/images", "test", [new Category(3, "cat", "animal", 1), new Category(90, "toothbrush", null, 2)],
            images, [new PlantedErrorByCocoId(101, PlantedErrorKinds.ClassConfusion, "cat as toothbrush")]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}
