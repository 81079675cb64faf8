using System.Net;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;

namespace AttributionExplorer.Web.Tests.Endpoints;

/// <summary>The ranking methods and the label-error queue over HTTP, built from the plug-in catalog.</summary>
public class RankingEndpointsTests : IAsyncLifetime
{
    private readonly SeededDatabase db = new();
    private ApiHost host = null!;
    private long trakRun;

    public async Task InitializeAsync()
    {
        // Overall influence of TRAK's full-image run = these scores: ranks Train[1], Train[3], Train[0], Train[2].
        long target = db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [0.5f, -2f, 1f, -1f]);
        trakRun = db.Attributions.GetTarget(target)!.RunId;
        host = await ApiHost.Start(db);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        db.Dispose();
    }

    private async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> Get(string path)
    {
        var response = await host.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"{path}: {(int)response.StatusCode} with an empty body");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private string Queue(string query = "") => $"/api/datasets/{db.DatasetId}/label-error-queue{query}";

    [Fact]
    public async Task MethodsAreTheCatalogsWithTheDatasetsCompleteRuns()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        long confidence = db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        var (status, _, body) = await Get($"/api/datasets/{db.DatasetId}/ranking-methods");
        Assert.Equal(HttpStatusCode.OK, status);
        var methods = body.GetProperty("methods").EnumerateArray().ToArray();
        Assert.Equal(["trak", "esvm", "moco", "clip", "confidence"], methods.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("TRAK", methods[0].GetProperty("title").GetString());
        Assert.True(methods[0].GetProperty("signed").GetBoolean());
        Assert.Equal("PerTarget", methods[0].GetProperty("scope").GetString());
        Assert.Equal("precompute trak --dataset sample", methods[0].GetProperty("command").GetString());
        var trakRuns = methods[0].GetProperty("completeRuns").EnumerateArray().ToArray();
        Assert.Equal(("image", trakRun), (trakRuns.Single().GetProperty("targetKind").GetString(), trakRuns.Single().GetProperty("runId").GetInt64()));
        Assert.Equal(0, methods[1].GetProperty("completeRuns").GetArrayLength());
        Assert.Equal("TrainImages", methods[4].GetProperty("scope").GetString());
        Assert.Equal(confidence, methods[4].GetProperty("completeRuns")[0].GetProperty("runId").GetInt64());

        var missing = await Get($"/api/datasets/{db.DatasetId + 7}/ranking-methods");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing.Status, missing.MediaType));
    }

    [Fact]
    public async Task WithoutADetectorRunTheQueueIsTraksOverallInfluenceMostNegativeFirst()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        var (status, _, body) = await Get(Queue());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("trak", body.GetProperty("method").GetString());
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([db.Train[1], db.Train[3], db.Train[0], db.Train[2]], items.Select(i => i.GetProperty("trainImageId").GetInt64()));
        Assert.Equal([101L, 103, 100, 102], items.Select(i => i.GetProperty("cocoImageId").GetInt64()));
        Assert.Equal([1, 2, 3, 4], items.Select(i => i.GetProperty("rank").GetInt32()));
        Assert.Equal([-2f, -1f, 0.5f, 1f], items.Select(i => i.GetProperty("score").GetSingle()));
        Assert.All(items, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("annotationId").ValueKind));
        Assert.Equal(4, body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheFirstDetectorWithARunIsTheDefaultAndPagesFollowTheRanks()
    {
        db.PublishAlso(SeededDatabase.Detector("influence", 11), SeededDatabase.Detector("confidence", 10));
        db.AddDetectorRun("influence", db.Train[2], db.Train[0], db.Train[1], db.Train[3]);
        Assert.Equal("influence", (await Get(Queue())).Body.GetProperty("method").GetString());
        db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        Assert.Equal("confidence", (await Get(Queue())).Body.GetProperty("method").GetString());

        var page = (await Get(Queue("?method=influence&offset=1&limit=2"))).Body;
        Assert.Equal("influence", page.GetProperty("method").GetString());
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([db.Train[0], db.Train[1]], items.Select(i => i.GetProperty("trainImageId").GetInt64()));
        Assert.Equal([2, 3], items.Select(i => i.GetProperty("rank").GetInt32()));
        Assert.Equal(0, (await Get(Queue("?method=trak&offset=4"))).Body.GetProperty("items").GetArrayLength());
    }

    /// <summary>Without a method the API serves the registry's queue default (not the first by display order) and says so.</summary>
    [Fact]
    public async Task TheRegistrysQueueDefaultIsServedWithoutAMethod()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10), SeededDatabase.Detector("suspect", 12) with { QueueDefault = true, Evidence = "study" });
        db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        db.AddDetectorRun("suspect", db.Train[0], db.Train[1], db.Train[2], db.Train[3]);

        var body = (await Get(Queue())).Body;
        Assert.Equal(("suspect", true), (body.GetProperty("method").GetString(), body.GetProperty("isDefault").GetBoolean()));
        Assert.Equal([db.Train[0], db.Train[1], db.Train[2], db.Train[3]], body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trainImageId").GetInt64()));
        var confidence = (await Get(Queue("?method=confidence"))).Body;
        Assert.Equal(("confidence", false), (confidence.GetProperty("method").GetString(), confidence.GetProperty("isDefault").GetBoolean()));
        var methods = (await Get($"/api/datasets/{db.DatasetId}/ranking-methods")).Body.GetProperty("methods").EnumerateArray().ToArray();
        Assert.Equal(["suspect"], methods.Where(m => m.GetProperty("queueDefault").GetBoolean()).Select(m => m.GetProperty("name").GetString()));
    }

    /// <summary>An object detector's queue lists annotations with their image (annotationId set), in rank order; it is
    /// never the default while an image detector has a run.</summary>
    [Fact]
    public async Task AnObjectDetectorsQueueItemsCarryTheirAnnotation()
    {
        db.PublishAlso(SeededDatabase.ObjectDetector("object-confidence", 20));
        db.AddObjectDetectorRun("object-confidence", (902, db.Train[2]), (901, db.Train[0]), (903, db.Train[2]));
        Assert.Equal("trak", (await Get(Queue())).Body.GetProperty("method").GetString());

        var body = (await Get(Queue("?method=object-confidence&offset=1"))).Body;
        Assert.Equal(3, body.GetProperty("total").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([901L, 903], items.Select(i => i.GetProperty("annotationId").GetInt64()));
        Assert.Equal([db.Train[0], db.Train[2]], items.Select(i => i.GetProperty("trainImageId").GetInt64()));
        Assert.Equal([100L, 102], items.Select(i => i.GetProperty("cocoImageId").GetInt64()));
        Assert.Equal([2, 3], items.Select(i => i.GetProperty("rank").GetInt32()));
    }

    [Fact]
    public async Task RankingsCarryTheirSplitHalfReliabilityAndRegimeWarnings()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10), SeededDatabase.Detector("influence", 11));
        long confidence = db.AddDetectorRun("confidence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        db.RankingRuns.RecordReliability(confidence, new Core.Stability.Reliability(0.81, "half A: seed 0 (1 checkpoint); half B: seed 1 (1 checkpoint)"));
        db.AddDetectorRun("influence", db.Train[3], db.Train[2], db.Train[1], db.Train[0]);
        db.RankingRuns.RecordReliability(trakRun, Core.Stability.Reliability.None("one training run (seed 0, 1 checkpoint): train two or more seeds to have two halves"));
        db.RankingRuns.RecordKernels(trakRun, [new KernelFigures(5, 4, 512, 1e-7, 0, 5, 508)]);

        var queue = (await Get(Queue("?method=confidence"))).Body;
        Assert.Equal(0.81, queue.GetProperty("splitHalf").GetDouble(), 12);
        Assert.Equal("stable 0.81", queue.GetProperty("reliability").GetString());
        Assert.Equal(0, queue.GetProperty("regimeWarnings").GetArrayLength());

        var trak = (await Get(Queue("?method=trak"))).Body;
        Assert.Equal(JsonValueKind.Null, trak.GetProperty("splitHalf").ValueKind);
        Assert.Equal("no split-half", trak.GetProperty("reliability").GetString());
        Assert.Contains("one training run", trak.GetProperty("reliabilityDetail").GetString());
        var warnings = trak.GetProperty("regimeWarnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Equal(3, warnings.Length);
        Assert.Contains("n = 4 train images for k = 512 projected dimensions", warnings[0]);

        Assert.Equal("not measured", (await Get(Queue("?method=influence"))).Body.GetProperty("reliability").GetString());

        var methods = (await Get($"/api/datasets/{db.DatasetId}/ranking-methods")).Body.GetProperty("methods").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("completeRuns"));
        Assert.Equal("no split-half", methods["trak"][0].GetProperty("reliability").GetString());
        Assert.Equal(3, methods["trak"][0].GetProperty("regimeWarnings").GetArrayLength());
        Assert.Equal(0.81, methods["confidence"][0].GetProperty("splitHalf").GetDouble(), 12);
    }

    [Fact]
    public async Task BadRequestsAreProblemDetails()
    {
        db.PublishAlso(SeededDatabase.Detector("confidence", 10));
        var unknown = await Get(Queue("?method=esvm"));
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.Status, unknown.MediaType));
        Assert.Contains("known methods: confidence, trak", unknown.Body.GetProperty("detail").GetString());

        var notComputed = await Get(Queue("?method=confidence"));
        Assert.Equal(HttpStatusCode.NotFound, notComputed.Status);
        Assert.Contains("precompute rank confidence --dataset sample", notComputed.Body.GetProperty("detail").GetString());

        foreach (string bad in new[] { "?offset=-1", "?limit=0", "?limit=501" })
        {
            var response = await Get(Queue(bad));
            Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (response.Status, response.MediaType));
            Assert.StartsWith(bad[1..].Split('=')[0] + ":", response.Body.GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Get($"/api/datasets/{db.DatasetId + 7}/label-error-queue")).Status);
    }

    private async Task<long[]> CocoIds(string query) =>
        (await Get(Queue(query))).Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("cocoImageId").GetInt64()).ToArray();

    [Fact]
    public async Task TheQueueFiltersByStateClassAndScoreAndEachItemCarriesItsReviewState()
    {
        new FlagRepository(db.Database).Save(db.DatasetId, db.Train[3], FlagStates.Confirmed, "", "alice", 0);
        var all = (await Get(Queue())).Body;
        var items = all.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["unflagged", "confirmed", "unflagged", "unflagged"], items.Select(i => i.GetProperty("state").GetString()));
        Assert.Equal("alice", items[1].GetProperty("flaggedBy").GetString());
        Assert.InRange(items[1].GetProperty("flaggedUtc").GetDateTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("flaggedBy").ValueKind);
        Assert.Equal((4, 4), (all.GetProperty("total").GetInt32(), all.GetProperty("unfilteredTotal").GetInt32()));

        var confirmed = (await Get(Queue("?state=confirmed"))).Body;
        Assert.Equal((1, 4), (confirmed.GetProperty("total").GetInt32(), confirmed.GetProperty("unfilteredTotal").GetInt32()));
        Assert.Equal("confirmed", confirmed.GetProperty("filters").GetProperty("state").GetString());
        Assert.Equal(new long[] { 103 }, await CocoIds("?state=confirmed"));
        Assert.Equal(new long[] { 101, 100, 102 }, await CocoIds("?state=unflagged"));
        Assert.Equal(new long[] { 100, 102 }, await CocoIds("?class=3"));
        Assert.Equal(new long[] { 103, 100 }, await CocoIds("?minScore=-1.5&maxScore=0.6"));
        Assert.Equal(new long[] { 101 }, await CocoIds("?state=unflagged&class=90&maxScore=-1.5"));
        Assert.Equal(new long[] { 102 }, await CocoIds("?state=unflagged&offset=2&limit=5"));
    }

    [Fact]
    public async Task BadFiltersAreNamedInA400()
    {
        foreach (var (query, starts) in new[]
                 {
                     ("?state=done", "state must be one of unflagged, suspected, confirmed, ok, fixed"),
                     ("?minScore=2&maxScore=1", "minScore (2) must not exceed maxScore (1)"),
                     ("?class=7", "class: 7 is not a COCO category id of dataset"),
                 })
        {
            var response = await Get(Queue(query));
            Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (response.Status, response.MediaType));
            Assert.StartsWith(starts, response.Body.GetProperty("detail").GetString());
        }
        // Not a number: a binding failure (the app's error handler names the parameter; MalformedRequestCorpusTests).
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync(Queue("?minScore=abc"))).StatusCode);
    }
}
