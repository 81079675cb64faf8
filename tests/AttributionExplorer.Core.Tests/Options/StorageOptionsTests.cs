using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Core.Tests.Options;

public class StorageOptionsTests
{
    [Fact]
    public void SqliteIsTheDefaultAndNeedsNoConnectionString()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        Assert.Equal(StorageOptions.Sqlite, options.Storage.Provider);
        Assert.Empty(OptionsProblems.Of(options));
    }

    [Fact]
    public void AnUnknownProviderIsNamedByItsKey()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        options.Storage.Provider = "mysql";
        Assert.Equal(["AttributionExplorer:Storage:Provider = mysql: must be sqlite or postgres"], OptionsProblems.Of(options));
    }

    [Fact]
    public void PostgresWithoutAConnectionStringNamesTheKeyAndTheEnvironmentVariable()
    {
        var options = new AppOptions().WithDefaultsForEmptyArrays();
        options.Storage.Provider = "postgres";
        options.Storage.ConnectionString = "  ";
        string problem = Assert.Single(OptionsProblems.Of(options));
        Assert.StartsWith("AttributionExplorer:Storage:ConnectionString = '': must name the PostgreSQL database", problem);
        Assert.Contains("AttributionExplorer__Storage__ConnectionString", problem);
        options.Storage.ConnectionString = "Host=db;Database=ae;Username=ae;Password=s3cret";
        Assert.Empty(OptionsProblems.Of(options));
    }
}
