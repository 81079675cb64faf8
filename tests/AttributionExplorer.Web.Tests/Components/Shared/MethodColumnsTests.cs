using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Web.Services;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class MethodColumnsTests : BunitContext
{
    private readonly SeededDatabase db = new();
    private readonly AppOptions options = new();

    public MethodColumnsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IAttributionRepository>(db.Attributions);
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<AttributionExplorer.Core.Plugins.IPluginCatalog>(db.Catalog);
        Services.AddSingleton(options);
        Services.AddSingleton<TargetRankings>();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private IRenderedComponent<MethodColumns> RenderFor(TargetKey key) =>
        Render<MethodColumns>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.ImageId, db.HeldOut).Add(c => c.Target, key));

    [Fact]
    public void ShowsEachMethodsRankingWithScoresAndTheirAgreement()
    {
        var image = new NewTarget(db.HeldOut, TargetKinds.Image, null, null);
        long trak = db.AddRun(AttributionMethods.Trak, image, [0.5f, -2f, 1f, 0f]);
        long esvm = db.AddRun(AttributionMethods.Esvm, image, [float.NaN, 0.25f, 1.5f, float.NaN]);
        db.AddRun(AttributionMethods.MocoCosine, image, [0.9f, 0.1f, 0.2f, 0.3f]);
        db.Agreement.Write([new RankAgreementRecord(trak, esvm, 0.5, 1, 0.25, 2)]);

        var cut = RenderFor(TargetKey.FullImage);

        var columns = cut.FindAll("section.method-column");
        Assert.Equal(new[] { "TRAK positive", "TRAK negative", "ESVM (MoCo)", "MoCo cosine", "CLIP cosine" },
            columns.Select(c => c.GetAttribute("aria-label")));
        var trakPositive = columns[0].QuerySelectorAll("a.influencer-tile");
        Assert.Equal(Train(2), trakPositive[0].GetAttribute("href"));
        Assert.NotNull(trakPositive[0].QuerySelector($"img[src='/api/datasets/{db.DatasetId}/images/{db.Train[2]}/masks/gt.png']"));
        // Scores on the target's fixed scale (here plain, two decimals), signed, never scientific; tiles name COCO ids.
        Assert.Contains("+1.00", trakPositive[0].TextContent);
        Assert.Contains("id 102", trakPositive[0].TextContent);
        Assert.Contains("\u22122.00", columns[1].QuerySelector("a.influencer-tile")!.TextContent);
        Assert.DoesNotContain("e+0", cut.Markup);
        // ESVM ranks only its same-class candidates (NaN elsewhere): two tiles, best first.
        Assert.Equal(new[] { Train(2), Train(1) },
            columns[2].QuerySelectorAll("a.influencer-tile").Select(a => a.GetAttribute("href")));
        Assert.Equal(Train(0), columns[3].QuerySelector("a.influencer-tile")!.GetAttribute("href"));
        Assert.Contains("CLIP is not configured", columns[4].TextContent);
        Assert.Contains("OnnxModelPath", columns[4].TextContent);

        var row = cut.Find(".agreement-table tbody tr");
        Assert.Contains("TRAK vs ESVM (MoCo)", row.TextContent);
        Assert.Contains("50", row.TextContent);
        Assert.Contains("0.25", row.TextContent);
    }

    [Fact]
    public void EveryColumnCarriesItsSplitHalfBadgeAndADegenerateTrakRunABanner()
    {
        var image = new NewTarget(db.HeldOut, TargetKinds.Image, null, null);
        long trak = db.AddRun(AttributionMethods.Trak, image with { SplitHalf = 0.81 }, [0.5f, -2f, 1f, 0f]);
        long trakRun = db.Attributions.GetTarget(trak)!.RunId;
        db.RankingRuns.RecordReliability(trakRun, new Core.Stability.Reliability(0.4, "half A: seed 0 (1 checkpoint); half B: seed 1 (1 checkpoint)"));
        db.RankingRuns.RecordKernels(trakRun, [new KernelFigures(1, 4, 64, 1e-3, 0, 2.0, 60), new KernelFigures(2, 4, 64, 1e-3, 0, 2.0, 60)]);
        long esvm = db.AddRun(AttributionMethods.Esvm, image, [float.NaN, 0.25f, 1.5f, float.NaN]);
        db.RankingRuns.RecordReliability(db.Attributions.GetTarget(esvm)!.RunId, Core.Stability.Reliability.OneModel("moco embedding"));
        db.AddRun(AttributionMethods.MocoCosine, image, [0.9f, 0.1f, 0.2f, 0.3f]);

        var cut = RenderFor(TargetKey.FullImage);

        var badges = cut.FindAll("section.method-column").ToDictionary(c => c.GetAttribute("aria-label")!,
            c => c.QuerySelector(".reliability-badge")?.TextContent);
        Assert.Equal("stable 0.81", badges["TRAK positive"]);
        Assert.Equal("stable 0.81", badges["TRAK negative"]);
        Assert.Equal("no split-half", badges["ESVM (MoCo)"]);
        Assert.Equal("not measured", badges["MoCo cosine"]);
        Assert.Null(badges["CLIP cosine"]);
        Assert.Contains("half A: seed 0 (1 checkpoint)", cut.Find("section.method-column .reliability-badge").GetAttribute("title"));

        var banner = cut.Find(".regime-warning");
        Assert.Contains($"the TRAK ranking (run {trakRun})", banner.TextContent);
        Assert.Contains("n = 4 train images for k = 64 projected dimensions (n/k = 0.06 < 4): the kernel nearly interpolates the training set (checkpoints 1, 2)", banner.TextContent);
        Assert.Single(cut.FindAll(".regime-warning"));
    }

    [Fact]
    public void ObjectTargetsExplainWhySimilarityColumnsAreEmpty()
    {
        var annotation = db.Datasets.GetAnnotations(db.HeldOut).Single();
        db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Object, annotation.CategoryCocoId, annotation.Id), [1f, 2f, 3f, 4f]);
        var cut = RenderFor(new TargetKey(TargetKinds.Object, annotation.CategoryCocoId, annotation.Id));
        var columns = cut.FindAll("section.method-column");
        Assert.Equal(4, columns[0].QuerySelectorAll("a.influencer-tile").Length);
        Assert.Contains("ESVM (MoCo) does not rank object targets (only full image, class)", columns[2].TextContent);
        Assert.Empty(cut.FindAll(".agreement-table"));
    }

    [Fact]
    public void ConfiguredClipWithoutARunSaysToRunThePrecompute()
    {
        options.Clip.EmbeddingsNpyPath = "clip.npy";
        var cut = RenderFor(TargetKey.FullImage);
        var clip = cut.FindAll("section.method-column")[4];
        Assert.DoesNotContain("not configured", clip.TextContent);
        Assert.Contains("No complete CLIP cosine run for full image targets yet: run `precompute similarity --dataset sample`", clip.TextContent);
        Assert.Contains("No complete TRAK run", cut.FindAll("section.method-column")[0].TextContent);
        Assert.Contains("precompute trak --dataset sample", cut.FindAll("section.method-column")[0].TextContent);
    }

    /// <summary>A training image's address: by COCO id (Train[i] is 100 + i).</summary>
    private string Train(int i) => $"/datasets/{db.DatasetId}/images/{100 + i}";

    [Fact]
    public void ColumnsFollowTheCatalogOrderTitlesAndSign()
    {
        // A worker that registers a new signed per-target method first and drops CLIP: the page follows without an edit.
        var image = new NewTarget(db.HeldOut, TargetKinds.Image, null, null);
        var methods = SeededDatabase.Methods.Where(m => m.Name != AttributionMethods.ClipCosine)
            .Append(new AttributionExplorer.Core.Plugins.RankingMethodInfo("gradcos", "Gradient cosine", "signed", AttributionExplorer.Core.Plugins.RankingScope.PerTarget,
                true, [TargetKinds.Image], -1, "precompute gradcos --dataset NAME"))
            .ToList();
        db.Catalog.Publish(methods, AttributionExplorer.Core.Plugins.BuiltInPlugins.TargetKinds, AttributionExplorer.Core.Plugins.BuiltInPlugins.Evaluations);
        db.AddRun("gradcos", image, [0.5f, -2f, 1f, 0f]);

        var cut = RenderFor(TargetKey.FullImage);
        Assert.Equal(new[] { "Gradient cosine: signed", "TRAK: signed attribution", "ESVM (MoCo): exemplar SVM", "MoCo cosine: cosine" },
            cut.FindAll(".method-descriptions li").Select(li => li.TextContent));
        var columns = cut.FindAll("section.method-column");
        Assert.Equal(new[] { "Gradient cosine positive", "Gradient cosine negative", "TRAK positive", "TRAK negative", "ESVM (MoCo)", "MoCo cosine" },
            columns.Select(c => c.GetAttribute("aria-label")));
        Assert.Equal(Train(1), columns[1].QuerySelector("a.influencer-tile")!.GetAttribute("href"));
        Assert.Contains("precompute similarity --dataset sample", columns[4].TextContent);

        var only = Render<MethodColumns>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.ImageId, db.HeldOut)
            .Add(c => c.Target, TargetKey.FullImage).Add(c => c.Method, "gradcos")).FindAll("section.method-column");
        Assert.Equal(new[] { "gradcos", "gradcos" }, only.Select(c => c.GetAttribute("data-method")));
    }
}
