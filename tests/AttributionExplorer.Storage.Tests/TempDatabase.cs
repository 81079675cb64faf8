using AttributionExplorer.Storage;
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

    public static DatasetImport SampleImport(string name = "sample", int train = 4, int val = 2) => Contracts.SampleData.Import(name, train, val);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}
