using System.Data.Common;
using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Storage.Tests.Contracts;

/// <summary>Users (unique by normalized name, one known role each, optimistic writes on the concurrency stamp), API
/// tokens kept only as hashes and revocable, and external logins.</summary>
public abstract class UserRepositoryContract
{
    protected abstract IStorageUnderTest CreateStorage();

    [SkippableFact]
    public void ACreatedUserRoundTripsWithFreshStampsAndIsFoundByItsNormalizedName()
    {
        using var s = CreateStorage();
        var before = DateTime.UtcNow.AddSeconds(-1);

        var created = s.Users.Create(new NewUser("Ada.L", UserRoles.Annotator, "hash-1"));

        Assert.Equal(("Ada.L", "ADA.L", "annotator", "hash-1", 0, true), (created.Name, created.NormalizedName, created.Role, created.PasswordHash,
            created.AccessFailedCount, created.LockoutEnabled));
        Assert.Null(created.LockoutEndUtc);
        Assert.NotEqual(created.SecurityStamp, created.ConcurrencyStamp);
        Assert.InRange(created.CreatedUtc, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(created, s.Users.Get(created.Id));
        Assert.Equal(created, s.Users.FindByNormalizedName(UserNames.Normalize("ada.l")));
        Assert.Null(s.Users.FindByNormalizedName("ADA"));
        Assert.Null(s.Users.Get(created.Id + 100));
    }

    [SkippableFact]
    public void NamesAreUniqueWhateverTheirCase()
    {
        using var s = CreateStorage();
        s.Users.Create(new NewUser("grace", UserRoles.Viewer, null));

        var duplicate = Assert.Throws<DuplicateUserException>(() => s.Users.Create(new NewUser("GRACE", UserRoles.Admin, null)));
        Assert.Contains("'GRACE' exists already", duplicate.Message);
        Assert.Single(s.Users.List());
    }

    [SkippableFact]
    public void UnknownRolesAndBadNamesAreRefusedNamingTheField()
    {
        using var s = CreateStorage();
        Assert.Contains("role 'owner' is unknown", Assert.Throws<ArgumentException>(() => s.Users.Create(new NewUser("x", "owner", null))).Message);
        Assert.Contains("name: ' ' is not allowed", Assert.Throws<ArgumentException>(() => s.Users.Create(new NewUser("a b", UserRoles.Viewer, null))).Message);
        var user = s.Users.Create(new NewUser("x", UserRoles.Viewer, null));
        Assert.Throws<ArgumentException>(() => s.Users.Update(user with { Role = "root" }, user.ConcurrencyStamp));
        Assert.Equal(UserRoles.Viewer, s.Users.Get(user.Id)!.Role);
        // The schema itself refuses a role outside the roles table, whatever adapter writes.
        using var connection = s.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE users SET role = 'root' WHERE id = {user.Id}";
        Assert.ThrowsAny<DbException>(() => command.ExecuteNonQuery());
    }

    [SkippableFact]
    public void AnUpdateNeedsTheConcurrencyStampItReadAndChangesIt()
    {
        using var s = CreateStorage();
        var user = s.Users.Create(new NewUser("lin", UserRoles.Viewer, "h"));
        var lockedUntil = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var updated = s.Users.Update(user with { Role = UserRoles.Admin, PasswordHash = "h2", SecurityStamp = "s2", AccessFailedCount = 3, LockoutEndUtc = lockedUntil },
            user.ConcurrencyStamp);

        Assert.NotNull(updated);
        Assert.Equal((UserRoles.Admin, "h2", "s2", 3, lockedUntil), (updated!.Role, updated.PasswordHash, updated.SecurityStamp, updated.AccessFailedCount, updated.LockoutEndUtc));
        Assert.NotEqual(user.ConcurrencyStamp, updated.ConcurrencyStamp);
        Assert.True(updated.IsLockedOut(lockedUntil.AddSeconds(-1)));
        Assert.False(updated.IsLockedOut(lockedUntil.AddSeconds(1)));
        // A writer holding the old stamp changes nothing.
        Assert.Null(s.Users.Update(user with { Role = UserRoles.Viewer }, user.ConcurrencyStamp));
        Assert.Equal(UserRoles.Admin, s.Users.Get(user.Id)!.Role);
        Assert.Equal(1, s.Users.CountWithRole(UserRoles.Admin));
        Assert.Equal(0, s.Users.CountWithRole(UserRoles.Viewer));
    }

    [SkippableFact]
    public void RenamingOntoATakenNameIsRefused()
    {
        using var s = CreateStorage();
        s.Users.Create(new NewUser("a", UserRoles.Viewer, null));
        var b = s.Users.Create(new NewUser("b", UserRoles.Viewer, null));
        Assert.Throws<DuplicateUserException>(() => s.Users.Update(b with { Name = "A" }, b.ConcurrencyStamp));
    }

    [SkippableFact]
    public void TokensAreFoundByTheirHashUntilRevoked()
    {
        using var s = CreateStorage();
        var user = s.Users.Create(new NewUser("bot", UserRoles.Annotator, null));
        string first = ApiTokens.New(), second = ApiTokens.New();
        var one = s.Users.AddToken(user.Id, ApiTokens.Hash(first), "ci");
        var two = s.Users.AddToken(user.Id, ApiTokens.Hash(second), "laptop");

        var found = s.Users.FindByTokenHash(ApiTokens.Hash(first));
        Assert.Equal((user.Id, one.Id, "ci"), (found!.Value.User.Id, found.Value.Token.Id, found.Value.Token.Label));
        Assert.Null(s.Users.FindByTokenHash(ApiTokens.Hash(ApiTokens.New())));

        Assert.Equal(1, s.Users.RevokeTokens(user.Id, one.Id));
        Assert.Null(s.Users.FindByTokenHash(ApiTokens.Hash(first)));
        Assert.NotNull(s.Users.FindByTokenHash(ApiTokens.Hash(second)));
        Assert.Equal(1, s.Users.RevokeTokens(user.Id, null));
        Assert.Null(s.Users.FindByTokenHash(ApiTokens.Hash(second)));
        Assert.Equal(0, s.Users.RevokeTokens(user.Id, null));
        Assert.All(s.Users.ListTokens(user.Id), t => Assert.NotNull(t.RevokedUtc));
        Assert.Equal([one.Id, two.Id], s.Users.ListTokens(user.Id).Select(t => t.Id));
    }

    [SkippableFact]
    public void OnlyTheHashOfATokenIsStored()
    {
        using var s = CreateStorage();
        var user = s.Users.Create(new NewUser("bot", UserRoles.Viewer, null));
        string token = ApiTokens.New();
        s.Users.AddToken(user.Id, ApiTokens.Hash(token), "x");
        using var connection = s.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM api_tokens WHERE token_sha256 = '" + token + "'";
        Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar()));
        Assert.Throws<ArgumentException>(() => s.Users.AddToken(user.Id, token, "plain"));
        Assert.Throws<KeyNotFoundException>(() => s.Users.AddToken(user.Id + 9, ApiTokens.Hash(token) + "", "x"));
    }

    [SkippableFact]
    public void TokenUseIsRecordedAtMostOnceAMinute()
    {
        using var s = CreateStorage();
        var user = s.Users.Create(new NewUser("bot", UserRoles.Viewer, null));
        var token = s.Users.AddToken(user.Id, ApiTokens.Hash(ApiTokens.New()), "x");
        var t0 = new DateTime(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

        s.Users.MarkTokenUsed(token.Id, t0);
        s.Users.MarkTokenUsed(token.Id, t0.AddSeconds(30));
        Assert.Equal(t0, s.Users.ListTokens(user.Id).Single().LastUsedUtc);
        s.Users.MarkTokenUsed(token.Id, t0.AddSeconds(61));
        Assert.Equal(t0.AddSeconds(61), s.Users.ListTokens(user.Id).Single().LastUsedUtc);
    }

    [SkippableFact]
    public void DeletingAUserTakesTheirTokensAndLoginsWithIt()
    {
        using var s = CreateStorage();
        var user = s.Users.Create(new NewUser("gone", UserRoles.Viewer, null));
        string token = ApiTokens.New();
        s.Users.AddToken(user.Id, ApiTokens.Hash(token), "x");
        s.Users.AddLogin(new ExternalLogin("oidc", "sub-1", user.Id, "Gone"));

        Assert.True(s.Users.Delete(user.Id));

        Assert.False(s.Users.Delete(user.Id));
        Assert.Null(s.Users.FindByTokenHash(ApiTokens.Hash(token)));
        Assert.Null(s.Users.FindByLogin("oidc", "sub-1"));
        Assert.Empty(s.Users.ListTokens(user.Id));
    }

    [SkippableFact]
    public void ExternalLoginsLinkOneProviderIdentityToOneUser()
    {
        using var s = CreateStorage();
        var a = s.Users.Create(new NewUser("a", UserRoles.Viewer, null));
        var b = s.Users.Create(new NewUser("b", UserRoles.Viewer, null));
        s.Users.AddLogin(new ExternalLogin("oidc", "sub-a", a.Id, "A"));

        Assert.Equal(a.Id, s.Users.FindByLogin("oidc", "sub-a")!.Id);
        Assert.Null(s.Users.FindByLogin("other", "sub-a"));
        Assert.ThrowsAny<DbException>(() => s.Users.AddLogin(new ExternalLogin("oidc", "sub-a", b.Id, "B")));
        Assert.Equal([new ExternalLogin("oidc", "sub-a", a.Id, "A")], s.Users.ListLogins(a.Id));
        Assert.True(s.Users.RemoveLogin(a.Id, "oidc", "sub-a"));
        Assert.Null(s.Users.FindByLogin("oidc", "sub-a"));
    }
}
