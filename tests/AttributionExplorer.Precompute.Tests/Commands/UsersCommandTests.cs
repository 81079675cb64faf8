using System.CommandLine;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Worker.Commands;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Commands;

/// <summary>`precompute users …` end to end (parse, settings, database), with clear errors for the usual mistakes.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ae-users").FullName;
    private readonly string config;
    private readonly UserRepository users;

    public UsersCommandTests()
    {
        config = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(config, $$"""
            { "AttributionExplorer": { "DatabasePath": "{{Path.Combine(dir, "data", "attribution.db")}}", "DataRoot": "{{Path.Combine(dir, "data")}}" } }
            """);
        var database = new SqliteDatabase(Path.Combine(dir, "data", "attribution.db"), Path.Combine(dir, "data"));
        database.Migrate();
        users = new UserRepository(database);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private (int Code, string Output, string Error) Run(string args, string stdin = "")
    {
        var root = new RootCommand { UsersCommand.Create(new StringReader(stdin)) };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse($"users {args} --config {config}").Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (code, output.ToString(), error.ToString());
    }

    private UserRecord User(string name) => users.FindByNormalizedName(UserNames.Normalize(name))!;

    private static bool Verifies(UserRecord user, string password) =>
        new PasswordHasher<object>().VerifyHashedPassword(new object(), user.PasswordHash!, password) != PasswordVerificationResult.Failed;

    [Fact]
    public void AddReadsThePasswordFromStandardInputAndStoresOnlyItsIdentityHash()
    {
        var (code, output, error) = Run("add --name ada --role admin", "correct horse battery\n");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal("added ada (admin)", output.Trim());
        var ada = User("ada");
        Assert.Equal(UserRoles.Admin, ada.Role);
        Assert.DoesNotContain("correct horse", ada.PasswordHash);
        Assert.True(Verifies(ada, "correct horse battery"));
        Assert.False(Verifies(ada, "correct horse battery!"));
        Assert.Contains("ada\tadmin\tpassword\t-\t0\t", Run("list").Output);
    }

    [Theory]
    [InlineData("add --name ada --role owner --password \"long enough pass\"", "error: role 'owner' is unknown: use viewer, annotator, admin")]
    [InlineData("add --name \"a b\" --role viewer --password \"long enough pass\"", "error: name: ' ' is not allowed (letters, digits and -._@+ only)")]
    [InlineData("add --name bob --role viewer --password short", "error: password: 5 characters is too short (rule: at least 12 characters)")]
    [InlineData("add --name bob --role viewer --password aaaaaaaaaaaaaaaa", "error: password: too repetitive (rule: at least 5 different characters)")]
    [InlineData("add --name bob --role viewer --password \"bob is my name ok\"", "error: password: contains the user name (rule: must not contain the user name)")]
    [InlineData("role --name nobody --role viewer", "error: --name: no user named 'nobody' (see `users list`)")]
    public void MistakesEndWithAnErrorNamingTheFieldOrRule(string args, string expected)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(1, code);
        Assert.Equal(expected, error.Trim());
        Assert.Empty(users.List());
    }

    [Fact]
    public void ADuplicateUserIsRefusedWhateverTheCase()
    {
        Assert.Equal(0, Run("add --name ada --role admin --password \"long enough pass\"").Code);
        var (code, _, error) = Run("add --name ADA --role viewer --password \"another long pass\"");
        Assert.Equal(1, code);
        Assert.Equal("error: name: a user named 'ada' exists already (change it with `users role` or `users password`)", error.Trim());
        Assert.Equal(UserRoles.Admin, User("ada").Role);
    }

    [Fact]
    public void ARoleChangeEndsTheUsersSessionsButTheLastAdminStays()
    {
        Run("add --name ada --role admin --password \"long enough pass\"");
        Run("add --name lin --role viewer --password \"long enough pass\"");
        string stamp = User("lin").SecurityStamp;

        var changed = Run("role --name lin --role annotator");
        Assert.Equal((0, "lin is now annotator"), (changed.Code, changed.Output.Trim()));
        Assert.Equal(UserRoles.Annotator, User("lin").Role);
        Assert.NotEqual(stamp, User("lin").SecurityStamp);

        Assert.Equal("error: 'ada' is the only admin: add another admin before you change the role of them", Run("role --name ada --role viewer").Error.Trim());
        Assert.Equal("error: 'ada' is the only admin: add another admin before you remove them", Run("remove --name ada").Error.Trim());
        Run("role --name lin --role admin");
        Assert.Equal(0, Run("remove --name ada").Code);
        Assert.Null(User("ada"));
    }

    [Fact]
    public void ATokenIsPrintedOnceAloneOnStandardOutputAndWorksUntilRevoked()
    {
        Run("add --name bot --role annotator --password \"long enough pass\"");
        var (code, output, note) = Run("token --name bot --label ci");

        Assert.Equal(0, code);
        string token = output.Trim();
        Assert.True(ApiTokens.LooksLikeToken(token), token);
        Assert.Contains("it is not shown again", note);
        var found = users.FindByTokenHash(ApiTokens.Hash(token));
        Assert.Equal(("bot", "ci"), (found!.Value.User.Name, found.Value.Token.Label));
        Assert.Contains("bot\tannotator\tpassword\t-\t1\t", Run("list").Output);

        Assert.Equal("error: --id: user 'bot' has no token 999 (see `users list`)", Run("revoke --name bot --id 999").Error.Trim());
        Assert.Equal("revoked 1 token(s) of bot", Run("revoke --name bot").Output.Trim());
        Assert.Null(users.FindByTokenHash(ApiTokens.Hash(token)));
    }

    [Fact]
    public void APasswordResetUnlocksAndEndsSessions()
    {
        Run("add --name lin --role viewer --password \"long enough pass\"");
        var locked = User("lin");
        users.Update(locked with { AccessFailedCount = 4, LockoutEndUtc = DateTimeOffset.UtcNow.AddHours(1) }, locked.ConcurrencyStamp);
        Assert.Contains("\tviewer\tpassword\t20", Run("list").Output);

        Assert.Equal(0, Run("password --name lin", "a brand new secret\n").Code);

        var lin = User("lin");
        Assert.True(Verifies(lin, "a brand new secret"));
        Assert.Equal((0, (DateTimeOffset?)null), (lin.AccessFailedCount, lin.LockoutEndUtc));
        Assert.NotEqual(locked.SecurityStamp, lin.SecurityStamp);
    }

    [Fact]
    public void AnExternalUserHasNoPassword()
    {
        Assert.Equal(0, Run("add --name sso.user --role viewer --external").Code);
        Assert.Null(User("sso.user").PasswordHash);
        Assert.Contains("sso.user\tviewer\tnone\t", Run("list").Output);
    }

    [Fact]
    public void TheDemoAdminGetsARandomPasswordInAFileOnlyItsOwnerCanRead()
    {
        string file = Path.Combine(dir, "data", "demo-admin.txt");
        var (code, output, _) = Run($"demo-admin --file {file}");

        Assert.Equal(0, code);
        Assert.Contains($"added the demo admin 'admin': the password is in {file}", output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var lines = File.ReadAllLines(file);
        Assert.Equal("user: admin", lines[0]);
        string password = lines[1]["password: ".Length..];
        Assert.Equal(24, password.Length);
        Assert.True(Verifies(User("admin"), password));

        var again = Run($"demo-admin --file {file}");
        Assert.Equal(0, again.Code);
        Assert.Contains($"admin 'admin' exists; the demo admin's password is in {file}", again.Output);
        Assert.Equal(lines, File.ReadAllLines(file));
        Assert.Single(users.List());
    }
}
