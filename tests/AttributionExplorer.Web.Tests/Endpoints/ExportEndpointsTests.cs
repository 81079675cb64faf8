using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Exports;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Endpoints;
using AttributionExplorer.Web.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AttributionExplorer.Web.Tests.Endpoints;

public class ExportEndpointsTests : IDisposable
{
    private readonly SeededDatabase db = new();
    private readonly ExportRepository exports;
    private readonly List<(long DatasetId, string[] States)> flagQueries = [];
    private readonly ExportService service;
    private readonly long runId;

    public ExportEndpointsTests()
    {
        exports = new ExportRepository(db.Database);
        // Train[2] is flagged "confirmed"; nothing is flagged "suspected".
        service = new ExportService(db.Datasets, db.Attributions, exports, (datasetId, states) =>
        {
            flagQueries.Add((datasetId, states.ToArray()));
            return states.Contains(FlagStates.Confirmed) ? new HashSet<long> { db.Train[2] } : new HashSet<long>();
        });
        // One target, so overall influence = these scores: ranks Train[1] = 1, Train[3] = 2, Train[0] = 3, Train[2] = 4.
        long target = db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [0.5f, -2f, 1f, -1f]);
        runId = db.Attributions.GetTarget(target)!.RunId;
    }

    public void Dispose() => db.Dispose();

    private static (int Status, JsonElement Body) Read(IResult result)
    {
        int status = ((IStatusCodeHttpResult)result).StatusCode!.Value;
        return (status, JsonSerializer.SerializeToElement(((IValueHttpResult)result).Value));
    }

    private long CreateOk(CreateExportRequest request, int expectedCount, string author)
    {
        var (status, body) = Read(ExportEndpoints.Create(db.DatasetId, request, author, service));
        Assert.Equal(201, status);
        Assert.Equal(expectedCount, body.GetProperty("imageCount").GetInt32());
        return body.GetProperty("exportId").GetInt64();
    }

    private FileContentHttpResult DownloadOk(long exportId, string? format) =>
        Assert.IsType<FileContentHttpResult>(ExportEndpoints.Download(db.DatasetId, exportId, format, service));

    [Fact]
    public void BottomHalfAndConfirmedFlagsAreDroppedAndEveryFormatListsTheRest()
    {
        // 4 training images, 50% → the 2 most negative (Train[1], Train[3]) go; Train[2] is flagged; Train[0] (COCO 100) stays.
        long id = CreateOk(new CreateExportRequest(runId, 50, [FlagStates.Confirmed]), 1, "ann");
        var query = Assert.Single(flagQueries);
        Assert.Equal(db.DatasetId, query.DatasetId);
        Assert.Equal([FlagStates.Confirmed], query.States);
        Assert.Equal([db.Train[0]], exports.GetImageIds(id));

        var txt = DownloadOk(id, "txt");
        Assert.Equal(($"export-{id}-kept-1.txt", "text/plain; charset=utf-8"), (txt.FileDownloadName, txt.ContentType));
        Assert.Equal("100\n", Encoding.UTF8.GetString(txt.FileContents.Span));

        var csv = DownloadOk(id, "csv");
        Assert.Equal("coco_id,file_name\r\n100,f0.png\r\n", Encoding.UTF8.GetString(csv.FileContents.Span));
        Assert.Equal($"export-{id}-kept-1.csv", csv.FileDownloadName);

        using var json = JsonDocument.Parse(DownloadOk(id, "json").FileContents);
        Assert.Equal([100L], json.RootElement.GetProperty("coco_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.False(json.RootElement.TryGetProperty("image_ids", out _));
        Assert.Equal(ExportHash.Of([db.Train[0]]), json.RootElement.GetProperty("export").GetProperty("sha256").GetString());
        Assert.Equal(runId, json.RootElement.GetProperty("rule").GetProperty("runId").GetInt64());

        var cocoFile = DownloadOk(id, "COCO");
        Assert.Equal($"export-{id}-kept-1-coco.json", cocoFile.FileDownloadName);
        using var coco = JsonDocument.Parse(cocoFile.FileContents);
        var images = coco.RootElement.GetProperty("images").EnumerateArray().ToArray();
        var annotations = coco.RootElement.GetProperty("annotations").EnumerateArray().ToArray();
        Assert.Equal((1, 1, 2), (images.Length, annotations.Length, coco.RootElement.GetProperty("categories").GetArrayLength()));
        Assert.Equal(100, images[0].GetProperty("id").GetInt64());
        Assert.Equal((100L, 1000L, 3), (annotations[0].GetProperty("image_id").GetInt64(), annotations[0].GetProperty("id").GetInt64(),
            annotations[0].GetProperty("category_id").GetInt32()));
        Assert.Equal([2, 3], annotations[0].GetProperty("segmentation").GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void WithoutARuleEveryTrainingImageIsKeptAndNoFlagsAreAskedFor()
    {
        long id = CreateOk(new CreateExportRequest(null, null, null), 4, "bo");
        Assert.Empty(flagQueries);
        Assert.Equal("100\n101\n102\n103\n", Encoding.UTF8.GetString(DownloadOk(id, null).FileContents.Span));
        // Suspected flags match nothing here; 25% of 4 = 1 → Train[1] goes.
        CreateOk(new CreateExportRequest(runId, 25, [FlagStates.Suspected]), 3, "bo");
    }

    [Fact]
    public void BadRequestsNameTheField()
    {
        string Error(IResult r, int expected)
        {
            var (status, body) = Read(r);
            Assert.Equal(expected, status);
            return body.GetProperty("error").GetString()!;
        }
        IResult Create(CreateExportRequest? r, string author = "a") => ExportEndpoints.Create(db.DatasetId, r, author, service);

        Assert.StartsWith("body", Error(Create(null), 400));
        Assert.StartsWith("author", Error(Create(new CreateExportRequest(null, 0, null), " "), 400));
        Assert.StartsWith("dropBottomPercent", Error(Create(new CreateExportRequest(runId, 150, null)), 400));
        Assert.StartsWith("runId", Error(Create(new CreateExportRequest(null, 10, null)), 400));
        Assert.StartsWith("runId: 7777", Error(Create(new CreateExportRequest(7777, 10, null)), 400));
        long running = db.AddUnfinishedRun("trak", "image");
        Assert.StartsWith($"runId: {running}", Error(Create(new CreateExportRequest(running, 10, null)), 400));
        Assert.StartsWith("dropFlagStates: 'maybe'", Error(Create(new CreateExportRequest(null, 0, ["maybe"])), 400));
        Assert.Contains("dataset 999", Error(ExportEndpoints.Create(999, new CreateExportRequest(null, 0, null), "a", service), 404));
        Assert.Empty(exports.List(db.DatasetId, 0, 10));

        long id = CreateOk(new CreateExportRequest(null, 0, null), 4, "a");
        Assert.StartsWith("format: 'xml'", Error(ExportEndpoints.Download(db.DatasetId, id, "xml", service), 400));
        Assert.Contains($"export {id + 1}", Error(ExportEndpoints.Download(db.DatasetId, id + 1, "txt", service), 404));
        Assert.Contains($"export {id} does not exist in dataset {db.DatasetId + 1}", Error(ExportEndpoints.Download(db.DatasetId + 1, id, "txt", service), 404));
    }
}
