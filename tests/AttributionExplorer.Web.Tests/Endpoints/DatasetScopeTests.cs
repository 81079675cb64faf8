using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>Every API address names its dataset; an id of another dataset is a 404; old addresses redirect.</summary>
public class DatasetScopeTests : IAsyncLifetime
{
    private readonly SeededDatabase db = new();
    private ApiHost host = null!;
    private long other;

    public async Task InitializeAsync()
    {
        other = db.ImportOther("second");
        host = await ApiHost.Start(db);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        db.Dispose();
    }

    private HttpClient Http => host.Client;

    [Fact]
    public async Task MasksAreServedOnlyUnderTheImagesOwnDataset()
    {
        var mask = await Http.GetAsync($"/api/datasets/{db.DatasetId}/images/{db.HeldOut}/masks/gt.png?class=1");
        Assert.Equal(HttpStatusCode.OK, mask.StatusCode);
        Assert.Equal("image/png", mask.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/images/{db.HeldOut}/masks/gt.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/images/{db.HeldOut}/pixels?size=64")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/images/{db.HeldOut}/masks/pred.png?checkpoint=1")).StatusCode);
    }

    [Fact]
    public async Task RegionJobsAndJobsAreScoped()
    {
        var box = new { x = 0, y = 0, width = 2, height = 1 };
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsJsonAsync($"/api/datasets/{other}/images/{db.HeldOut}/region-jobs", box)).StatusCode);
        Assert.Empty(db.Jobs.ListRecent(db.DatasetId, 10));

        var queued = await Http.PostAsJsonAsync($"/api/datasets/{db.DatasetId}/images/{db.HeldOut}/region-jobs", box);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        long jobId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetInt64();
        Assert.Equal($"/api/datasets/{db.DatasetId}/jobs/{jobId}", queued.Headers.Location!.OriginalString);

        var job = await Http.GetFromJsonAsync<JsonElement>($"/api/datasets/{db.DatasetId}/jobs/{jobId}");
        Assert.Equal(JobStatus.Queued, job.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/jobs/{jobId}")).StatusCode);
    }

    [Fact]
    public async Task ExportsAreScoped()
    {
        var created = await Http.PostAsJsonAsync($"/api/datasets/{db.DatasetId}/exports", new { dropBottomPercent = 0 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        long exportId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("exportId").GetInt64();
        Assert.Equal($"/api/datasets/{db.DatasetId}/exports/{exportId}", created.Headers.Location!.OriginalString);

        Assert.Equal("100\n101\n102\n103\n", await Http.GetStringAsync($"/api/datasets/{db.DatasetId}/exports/{exportId}/download?format=txt"));
        // The author is whoever the API token belongs to.
        Assert.Equal("api-admin", (await Http.GetFromJsonAsync<JsonElement>($"/api/datasets/{db.DatasetId}/exports/{exportId}")).GetProperty("author").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/exports/{exportId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other}/exports/{exportId}/download?format=txt")).StatusCode);
        Assert.Equal(0, (await Http.GetFromJsonAsync<JsonElement>($"/api/datasets/{other}/exports")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{other + 1}/exports")).StatusCode);
    }

    [Fact]
    public async Task OldAddressesRedirectToTheirDatasetsAddress()
    {
        async Task<string> RedirectOf(string path)
        {
            var response = await Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            return response.Headers.Location!.OriginalString;
        }
        long otherTrain = db.Datasets.GetImages(other, Splits.Train, 0, 1).Single().Id;
        Assert.Equal($"/api/datasets/{db.DatasetId}/images/{db.HeldOut}/masks/gt.png?class=1", await RedirectOf($"/api/images/{db.HeldOut}/masks/gt.png?class=1"));
        Assert.Equal($"/api/datasets/{other}/images/{otherTrain}/pixels?size=64", await RedirectOf($"/api/images/{otherTrain}/pixels?size=64"));
        // Image pages by database row id go to the address by COCO id (an object target's annotation too).
        Assert.Equal($"/datasets/{db.DatasetId}/images/104?target=class:3", await RedirectOf($"/images/{db.HeldOut}?target=class:3"));
        Assert.Equal($"/datasets/{other}/images/200", await RedirectOf($"/images/{otherTrain}"));
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        Assert.Equal($"/datasets/{db.DatasetId}/images/104?target=object:1004&page=2",
            await RedirectOf($"/datasets/{db.DatasetId}/held-out/{db.HeldOut}?target=object:{annotation.Id}&page=2"));
        Assert.Equal($"/datasets/{db.DatasetId}/images/101?queue=2&method=confidence",
            await RedirectOf($"/datasets/{db.DatasetId}/train/{db.Train[1]}?queue=2&method=confidence"));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/datasets/{other}/train/{db.Train[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/datasets/{db.DatasetId}/held-out/999999")).StatusCode);
        Assert.Equal($"/datasets/{db.DatasetId}/queue?planted=true", await RedirectOf("/queue?planted=true"));
        Assert.Equal($"/datasets/{db.DatasetId}/evaluation", await RedirectOf("/evaluation"));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/images/999999")).StatusCode);

        // A client that keeps using the old POST address gets 308, which repeats the POST with its body. (HttpClient
        // drops the Authorization header when it follows a redirect itself, so the test follows it.)
        var moved = await Http.PostAsJsonAsync($"/api/images/{db.HeldOut}/region-jobs", new { x = 0, y = 0, width = 1, height = 1 });
        Assert.Equal(HttpStatusCode.PermanentRedirect, moved.StatusCode);
        var queued = await Http.PostAsJsonAsync(moved.Headers.Location!.OriginalString, new { x = 0, y = 0, width = 1, height = 1 });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        long jobId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetInt64();
        Assert.Equal($"/api/datasets/{db.DatasetId}/jobs/{jobId}", await RedirectOf($"/api/jobs/{jobId}"));
    }
}
