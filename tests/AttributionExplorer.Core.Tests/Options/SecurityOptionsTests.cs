using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Core.Tests.Options;

public class SecurityOptionsTests
{
    private static IReadOnlyList<string> Problems(Action<SecurityOptions> change)
    {
        var options = new AppOptions();
        change(options.Security);
        return OptionsProblems.Of(options);
    }

    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(Problems(_ => { }));

    [Theory]
    [InlineData("admin")]
    [InlineData("annotator")]
    [InlineData("guest")]
    public void OnlyViewerCanBeTheAnonymousRole(string role) =>
        Assert.Equal($"AttributionExplorer:Security:AnonymousRole = {role}: must be empty (no anonymous access) or viewer; annotating and administering need a signed-in user",
            Assert.Single(Problems(s => s.AnonymousRole = role)));

    [Theory]
    [InlineData("*")]
    [InlineData("http://example.org/")]
    [InlineData("http://example.org/app")]
    [InlineData("ftp://example.org")]
    public void AllowedOriginsMustBeBareOrigins(string origin) =>
        Assert.StartsWith($"AttributionExplorer:Security:AllowedOrigins = {origin}: must be scheme://host[:port]", Assert.Single(Problems(s => s.AllowedOrigins = [origin])));

    [Fact]
    public void LimitsAndLockoutMustBePositive()
    {
        var problems = Problems(s =>
        {
            s.RateLimits.Uploads.PermitLimit = 0;
            s.RateLimits.Jobs.WindowSeconds = 0;
            s.LockoutMaxFailedAttempts = 0;
            s.PasswordMinLength = 4;
        });
        Assert.Contains("AttributionExplorer:Security:RateLimits:Uploads:PermitLimit = 0: must be ≥ 1", problems);
        Assert.Contains("AttributionExplorer:Security:RateLimits:Jobs:WindowSeconds = 0: must be ≥ 1", problems);
        Assert.Contains("AttributionExplorer:Security:LockoutMaxFailedAttempts = 0: must be ≥ 1", problems);
        Assert.Contains("AttributionExplorer:Security:PasswordMinLength = 4: must be 8…256", problems);
    }

    [Fact]
    public void OpenIdConnectNeedsItsClientOnceAnAuthorityIsSet()
    {
        var problems = Problems(s =>
        {
            s.OpenIdConnect.Authority = "https://id.example.org";
            s.OpenIdConnect.DefaultRole = "owner";
        });
        Assert.Equal(["AttributionExplorer:Security:OpenIdConnect:ClientId = '': must be set when Authority is",
            "AttributionExplorer:Security:OpenIdConnect:DefaultRole = owner: must be empty (only users added beforehand) or viewer, annotator, admin"], problems);
        Assert.Empty(Problems(s => { s.OpenIdConnect.Authority = "https://id.example.org"; s.OpenIdConnect.ClientId = "ae"; }));
    }
}
