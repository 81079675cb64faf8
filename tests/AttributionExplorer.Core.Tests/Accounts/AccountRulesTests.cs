using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Core.Tests.Accounts;

public class AccountRulesTests
{
    [Theory]
    [InlineData("viewer", "viewer", true)]
    [InlineData("annotator", "viewer", true)]
    [InlineData("admin", "annotator", true)]
    [InlineData("viewer", "annotator", false)]
    [InlineData("annotator", "admin", false)]
    [InlineData(null, "viewer", false)]
    [InlineData("root", "viewer", false)]
    [InlineData("admin", "root", false)]
    public void EachRoleIncludesTheOnesBelowIt(string? role, string required, bool expected) =>
        Assert.Equal(expected, UserRoles.Includes(role, required));

    [Fact]
    public void AnUnknownRoleIsNamedWithTheKnownOnes() =>
        Assert.Equal("role 'Admin' is unknown: use viewer, annotator, admin", UserRoles.Problem("Admin"));

    [Theory]
    [InlineData("ada", null)]
    [InlineData("a.b-c_d@e+f", null)]
    [InlineData("", "name: must not be empty")]
    [InlineData("a b", "name: ' ' is not allowed (letters, digits and -._@+ only)")]
    [InlineData("zoë", "name: 'ë' is not allowed (letters, digits and -._@+ only)")]
    [InlineData("a/b", "name: '/' is not allowed (letters, digits and -._@+ only)")]
    public void NamesUseIdentitysDefaultAlphabet(string name, string? problem) => Assert.Equal(problem, UserNames.Problem(name));

    [Fact]
    public void NamesAreComparedCaseInsensitively()
    {
        Assert.Equal(UserNames.Normalize("Ada.L"), UserNames.Normalize("ADA.l"));
        Assert.Equal("name: 65 characters is over the limit of 64", UserNames.Problem(new string('a', 65)));
    }

    [Theory]
    [InlineData("correct horse battery", null)]
    [InlineData(null, "password: must not be empty (rule: required)")]
    [InlineData("short pass", "password: 10 characters is too short (rule: at least 12 characters)")]
    [InlineData("abababababababab", "password: too repetitive (rule: at least 5 different characters)")]
    [InlineData("my name is ADA ok", "password: contains the user name (rule: must not contain the user name)")]
    public void PasswordRulesNameTheRuleABadPasswordBreaks(string? password, string? problem) =>
        Assert.Equal(problem, PasswordRules.Problem(password, "ada"));

    [Fact]
    public void TheMinimumLengthIsASetting()
    {
        Assert.Null(PasswordRules.Problem("abcde12345", "x", minLength: 10));
        Assert.Equal("password: 257 characters is too long (rule: at most 256 characters)", PasswordRules.Problem(new string('a', 200) + "bcdef" + new string('g', 52), "x"));
    }

    [Fact]
    public void TokensAreRandomRecognizableAndHashedToHex()
    {
        string a = ApiTokens.New(), b = ApiTokens.New();
        Assert.NotEqual(a, b);
        Assert.True(ApiTokens.LooksLikeToken(a));
        Assert.StartsWith("ae_", a);
        Assert.Equal(46, a.Length);
        Assert.False(ApiTokens.LooksLikeToken(a[..^1]));
        Assert.False(ApiTokens.LooksLikeToken("xx" + a[2..]));
        Assert.False(ApiTokens.LooksLikeToken(a[..^1] + "="));
        Assert.Equal(64, ApiTokens.Hash(a).Length);
        Assert.Equal(ApiTokens.Hash(a), ApiTokens.Hash(a));
        Assert.NotEqual(ApiTokens.Hash(a), ApiTokens.Hash(b));
        // SHA-256("abc")
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiTokens.Hash("abc"));
    }

    [Fact]
    public void LockoutEndsWhenItsTimeHasPassed()
    {
        var end = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var user = new UserRecord(1, "a", "A", UserRoles.Viewer, null, "s", "c", 0, end, true, DateTime.UtcNow);
        Assert.True(user.IsLockedOut(end.AddTicks(-1)));
        Assert.False(user.IsLockedOut(end));
        Assert.False((user with { LockoutEnabled = false }).IsLockedOut(end.AddDays(-1)));
        Assert.False((user with { LockoutEndUtc = null }).IsLockedOut(end));
    }
}
