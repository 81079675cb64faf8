using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The error pipeline on a small app (Development environment, where ASP.NET Core would otherwise show
/// developer pages with stack traces).</summary>
public sealed class ErrorResponsesTests : IAsyncLifetime
{
    private WebApplication app = null!;
    private HttpClient client = null!;

    public sealed record Thing(string Name, int Count);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new AppOptions());
        builder.Services.AddErrorResponses();
        app = builder.Build();
        app.UseErrorResponses();
        app.MapGet("/api/boom", string () => throw new InvalidOperationException("secret at /home/someone/db"));
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret at /home/someone/db"));
        app.MapPost("/api/things", (Thing body) => Results.Ok(body));
        app.MapGet("/api/things/{id:long}", (long id) => Results.NotFound());
        app.MapPost("/api/forms", (IFormFile file) => Results.Ok(file.Length)).DisableAntiforgery();
        await app.StartAsync();
        client = app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("secret", body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()));
        Assert.True(json.TryGetProperty("traceId", out _));
        return json;
    }

    [Fact]
    public async Task AnExceptionOnAnApiRouteIsA500ProblemWithATraceIdAndNoStackTrace()
    {
        var json = await Problem(await client.GetAsync("/api/boom"), 500);
        Assert.Equal("The server failed to handle this request; the error is logged under the trace id.", json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnExceptionOnAPageIsAnHtmlErrorPage()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>500 Internal Server Error</h1>", html);
        Assert.Contains("Trace id:", html);
        Assert.DoesNotContain("secret", html);
        Assert.DoesNotContain("InvalidOperationException", html);
    }

    [Theory]
    [InlineData("{", "Failed to read parameter \"Thing body\" from the request body as JSON.")]
    [InlineData("{\"name\":\"a\",\"count\":\"x\"}", "The JSON value could not be converted")]
    [InlineData("[]", "The JSON value could not be converted")]
    public async Task MalformedJsonIsA400ThatSaysWhatFailed(string body, string expected)
    {
        var response = await client.PostAsync("/api/things", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await Problem(response, 400);
        Assert.Contains(expected, json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task EmptyStatusResponsesGetAProblemBody()
    {
        Assert.Equal("Nothing is at /api/things/5.", (await Problem(await client.GetAsync("/api/things/5"), 404)).GetProperty("detail").GetString());
        Assert.Equal("DELETE is not allowed on /api/things.", (await Problem(await client.DeleteAsync("/api/things"), 405)).GetProperty("detail").GetString());
        await Problem(await client.GetAsync("/api/nothing-here"), 404);
        await Problem(await client.PostAsync("/api/things", new StringContent("name=a", Encoding.UTF8, "text/plain")), 415);
    }

    [Fact]
    public async Task AMissingFormFileNamesTheParameter()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var json = await Problem(await client.PostAsync("/api/forms", form), 400);
        Assert.Contains("IFormFile file", json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ApiBodiesOverTheLimitAre413()
    {
        string author = new('a', 1 << 20);
        var response = await client.PostAsJsonAsync("/api/things", new Thing(author, 1));
        var json = await Problem(response, 413);
        Assert.Contains($"over the limit of {ErrorResponses.MaxApiBodyBytes} bytes", json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownPageIsAnHtml404ForBrowsers()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/page?x=<script>");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>404 Not Found</h1>", html);
        Assert.Contains("Nothing is at /no/such/page.", html);
        Assert.DoesNotContain("<script>", html);
    }
}
