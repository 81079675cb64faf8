using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Web.Security;
using static AttributionExplorer.Web.Security.ExternalSignIn;

namespace AttributionExplorer.Web.Tests.Security;

/// <summary>Who an OpenID Connect identity becomes here (the provider round trip itself needs a provider, so it is
/// not tested; this is the decision it ends in), and where a sign-in may return to.</summary>
public class ExternalSignInTests
{
    private static UserRecord User(string? passwordHash) =>
        new(7, "sso.user", "SSO.USER", UserRoles.Viewer, passwordHash, "s", "c", 0, null, true, DateTime.UtcNow);

    [Fact]
    public void AnExternalOnlyUserIsLinkedOnTheirFirstSignIn() =>
        Assert.Equal(Outcome.Link, Decide("sso.user", User(null), [], "oidc", "").Outcome);

    [Fact]
    public void APasswordUserIsNeverTakenOverByAProviderAccountOfTheSameName() =>
        Assert.Equal(new Decision(Outcome.Refuse, "external-taken"), Decide("sso.user", User("hash"), [], "oidc", UserRoles.Admin));

    [Fact]
    public void AUserAlreadyLinkedToAnotherIdentityAtTheProviderIsRefused() =>
        Assert.Equal(new Decision(Outcome.Refuse, "external-taken"), Decide("sso.user", User(null), [new ExternalLogin("oidc", "other-sub", 7, "x")], "oidc", ""));

    [Fact]
    public void AnUnknownNameGetsTheDefaultRoleOrIsRefused()
    {
        Assert.Equal(Outcome.Create, Decide("new.user", null, [], "oidc", UserRoles.Viewer).Outcome);
        Assert.Equal(new Decision(Outcome.Refuse, "external-unknown"), Decide("new.user", null, [], "oidc", ""));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has space")]
    [InlineData("")]
    public void AMissingOrUnusableNameIsRefused(string? name) =>
        Assert.Equal(new Decision(Outcome.Refuse, "external-name"), Decide(name, null, [], "oidc", UserRoles.Viewer));

    [Theory]
    [InlineData("/datasets/1?x=1", "/datasets/1?x=1")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/a\nb", "/")]
    public void OnlyPathsOnThisSiteAreReturnedTo(string? url, string expected) => Assert.Equal(expected, LocalUrl.OrHome(url));
}
