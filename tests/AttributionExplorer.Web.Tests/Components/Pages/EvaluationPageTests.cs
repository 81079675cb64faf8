using System.Text.Json;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using AttributionExplorer.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Pages;

/// <summary>The Evaluation page against a real SQLite file holding complete evaluation runs written the way the
/// worker writes them (results serialized with System.Text.Json defaults).</summary>
public class EvaluationPageTests : BunitContext
{
    private readonly SeededDatabase db = new();
    private readonly EvaluationRepository evaluations;

    public EvaluationPageTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        evaluations = new EvaluationRepository(db.Database);
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<IEvaluationRepository>(evaluations);
        Services.AddSingleton<AttributionExplorer.Core.Plugins.IPluginCatalog>(db.Catalog);
        Services.AddSingleton<AttributionExplorer.Web.Services.IAttributionRepository>(db.Attributions);
    }

    private IRenderedComponent<EvaluationPage> RenderPage(long? datasetId = null) =>
        Render<EvaluationPage>(p => p.Add(c => c.DatasetId, datasetId ?? db.DatasetId));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private void Store(string kind, object parameters, object results)
    {
        string json = JsonSerializer.Serialize(parameters);
        db.AddEvaluation(kind, json, JsonSerializer.Serialize(results), 12.5);
    }

    /// <summary>A complete run of a kind no built-in view knows, written as a plug-in's worker would (a ledger run).</summary>
    private void StorePluginRun(string kind, object parameters, object results) =>
        db.AddEvaluation(kind, JsonSerializer.Serialize(parameters), JsonSerializer.Serialize(results), 60);

    private static double[] Curve(params int[] hits)
    {
        var curve = new double[hits.Length];
        int found = 0;
        for (int k = 0; k < hits.Length; k++) curve[k] = (found += hits[k]) / (double)(k + 1);
        return curve;
    }

    private void StoreAllKinds()
    {
        Store(EvaluationKinds.LabelErrors, new { Seed = 7, checkpoints = 2, trakImageRun = 3 }, new LabelErrorResult(20, 4,
        [
            new("trak_overall", "TRAK overall influence, most negative first", 1.0, 0.5, 0.25, 0.9123, 0.7321, Curve(1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            new("model_confidence", "model confidence, lowest first", 0.0, 0.5, 0.25, 0.6, 0.3, Curve(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0)),
            new("random", "random order (seeded)", 0.0, 0.0, 0.0, 0.5, 0.2, Curve(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1)),
        ]));
        Store(EvaluationKinds.Curation, new { seeds = new[] { 0, 1, 2 }, Curation = new { Percents = new[] { 20, 50 } } }, Curation());
        Store(EvaluationKinds.Lds, new { Subsets = 4 }, new LdsResult(4, 0.5, 20,
        [
            new("trak", "image", new MeanWithError(0.31, 0.05, 12), 12),
            new("similarity", "class", new MeanWithError(-0.05, 0.02, 9), 9),
        ]));
        Store(EvaluationKinds.Counterfactual, new { Targets = 2 }, new CounterfactualResult(2, 2, "class target loss: mean binary cross-entropy",
            new MeanWithError(0.4, 0.02, 4),
            [
                new("trak", 5, new MeanWithError(0.12, 0.03, 4)),
                new("trak", 10, new MeanWithError(0.2, 0.04, 4)),
                new("random", 5, new MeanWithError(0.011, 0.005, 4)),
                new("random", 10, new MeanWithError(0.025, 0.006, 4)),
            ]));
        Store(EvaluationKinds.Brittleness, new { Budget = 3 }, new BrittlenessResult(3, 1, 16, "f < 0: mean log-odds below zero",
        [
            new(db.HeldOut, 3, "trak", 1.234, 8, 4, [new(16, true), new(8, true), new(4, false)]),
            new(db.HeldOut, 90, "trak", 0.75, null, 16, [new(16, false)]),
        ]));
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) =>
        row.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray();

    [Fact]
    public void TheNewestTrakRunsWithDegenerateKernelsGetOneBannerWithTheirFigures()
    {
        StoreAllKinds();
        Assert.Empty(RenderPage().FindAll(".regime-warning"));
        var kernels = new[] { new AttributionExplorer.Core.Domain.KernelFigures(1, 4, 64, 1e-3, 0, 2.0, 60) };
        var runs = new[] { "image", "class" }.Select(kind => db.Attributions.GetTarget(db.AddRun("trak",
            new AttributionExplorer.Core.Domain.NewTarget(db.HeldOut, kind, kind == "class" ? 3 : null, null), [1f, 2f, 3f, 4f]))!.RunId).ToArray();
        foreach (long run in runs) db.RankingRuns.RecordKernels(run, kernels);

        var banner = RenderPage().Find(".regime-warning");
        Assert.Contains($"the TRAK rankings these evaluations measure (runs {runs[0]}, {runs[1]})", banner.TextContent);
        Assert.Contains("n = 4 train images for k = 64 projected dimensions", banner.TextContent);
    }

    [Fact]
    public void ShowsOneCardPerKindWithDateSecondsAndParameters()
    {
        StoreAllKinds();
        var page = RenderPage();
        var kinds = page.FindAll("section.evaluation-card").Select(s => s.GetAttribute("data-kind")!).ToArray();
        Assert.Equal(EvaluationKinds.All, kinds);
        Assert.Empty(page.FindAll(".evaluation-missing"));

        var curation = page.Find("section.evaluation-card[data-kind=curation]");
        Assert.Contains("Data curation", curation.QuerySelector("h2")!.TextContent);
        Assert.Contains("12.5 s", curation.QuerySelector(".evaluation-meta")!.TextContent);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d UTC", curation.QuerySelector(".evaluation-meta")!.TextContent);
        var parameters = curation.QuerySelectorAll(".evaluation-parameters > div")
            .ToDictionary(d => d.QuerySelector("dt")!.TextContent, d => d.QuerySelector("dd")!.TextContent);
        Assert.Equal("[0, 1, 2]", parameters["seeds"]);
        Assert.Equal("[20, 50]", parameters["Curation.Percents"]);
    }

    /// <summary>Results with bootstrap intervals, the paired gain over confidence and per-kind AUROC show all three, and
    /// mark the queue's default.</summary>
    [Fact]
    public void LabelErrorIntervalsGainsAndPerKindAurocAreShown()
    {
        var figures = new DetectionFigures(new Interval(0.9, 0.8, 0.95), new Interval(0.7, 0.6, 0.8), new Interval(1, 0.5, 1), 4, 16);
        Store(EvaluationKinds.LabelErrors, new { Seed = 7 }, new LabelErrorResult(20, 4,
        [
            new("suspect", "max of ranks", 1.0, 0.5, 0.25, 0.9, 0.7, Curve(1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), figures,
                new Interval(0.12, 0.01, 0.25), new Dictionary<string, double> { ["missing_instance"] = 1.0, ["class_confusion"] = 0.75 }),
            new("confidence", "label quality", 0.0, 0.5, 0.25, 0.6, 0.3, Curve(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0), figures,
                null, new Dictionary<string, double> { ["missing_instance"] = 0.5, ["class_confusion"] = 0.25 }),
        ], new Dictionary<string, int> { ["missing_instance"] = 2, ["class_confusion"] = 2 }, "suspect",
            "above confidence by +0.08 [−0.01, +0.17] at 10% errors"));
        var card = RenderPage().Find("section.evaluation-card[data-kind=label_errors]");
        var suspect = Cells(card.QuerySelectorAll(".label-error-table tbody tr")[0]);
        Assert.Contains("(queue default)", suspect[0]);
        Assert.Equal(["1.000 [0.500, 1.000]", "0.500", "0.250", "0.900 [0.800, 0.950]", "0.700 [0.600, 0.800]", "+0.12 [+0.01, +0.25]"], suspect[1..]);
        Assert.Contains("The label-error queue's default order is suspect.", card.TextContent);
        Assert.Contains("In the label-error study: above confidence by +0.08 [−0.01, +0.17] at 10% errors.", card.TextContent);
        Assert.Contains("2 class confusion, 2 missing instance", card.TextContent);
        var kinds = card.QuerySelectorAll(".label-error-kinds-table tbody tr");
        Assert.Equal(["suspect", "0.750", "1.000"], Cells(kinds[0]));
        Assert.Equal(["confidence", "0.250", "0.500"], Cells(kinds[1]));
    }

    [Fact]
    public void LabelErrorTableAndOnePrecisionLinePerMethodOverTheBaseRate()
    {
        StoreAllKinds();
        var card = RenderPage().Find("section.evaluation-card[data-kind=label_errors]");
        var rows = card.QuerySelectorAll(".label-error-table tbody tr");
        Assert.Equal(3, rows.Length);
        var trak = Cells(rows[0]);
        Assert.StartsWith("trak_overall", trak[0]);
        Assert.Equal(["1.000", "0.500", "0.250", "0.912", "0.732", "–"], trak[1..]);
        Assert.Equal(["0.000", "0.500", "0.250", "0.600", "0.300", "–"], Cells(rows[1])[1..]);

        // MudBlazor's line chart: one line per method and the base rate, points every 5% inspected, values in %.
        var chart = card.QuerySelector("figure.precision-curve")!;
        Assert.Contains("trak_overall: precision 1.000 at 5%", chart.GetAttribute("aria-label"));
        var lines = chart.QuerySelectorAll("path.mud-chart-line");
        Assert.Equal(3 + 1, lines.Length);
        Assert.Equal(4, lines.Select(l => l.GetAttribute("stroke")).Distinct().Count());
        Assert.Equal(["trak_overall", "model_confidence", "random", PrecisionCurveChart.BaseRateName],
            chart.QuerySelectorAll(".mud-chart-legend-item").Select(l => l.TextContent.Trim()));
        Assert.Equal(["precision (%)", "training images inspected (%)"],
            chart.QuerySelectorAll("text.mud-charts-yaxis, text.mud-charts-xaxis").Select(t => t.TextContent).Order());
        // 20 points per line at 5%, 10%, …, 100%; each answers a hover (the chart's tooltip).
        Assert.Equal(20, chart.QuerySelectorAll("g.mud-charts-xaxis text").Length);
        Assert.Equal(4 * 20, chart.QuerySelectorAll("circle.mud-chart-point[opacity='0']").Length);
        Assert.Contains($"base rate {AttributionExplorer.Web.Services.EvaluationCatalog.Number(0.2)} (4 / 20)", chart.QuerySelector("figcaption")!.TextContent);
    }

    /// <summary>Three seeds, two detectors and random at 20% and 50%; intervals computed by the Core (t-intervals).</summary>
    private static CurationResult Curation()
    {
        double[] none = [0.50, 0.51, 0.52];
        var perSeed = new Dictionary<(string, int), double[]>
        {
            [("suspect", 20)] = [0.52, 0.53, 0.54], [("suspect", 50)] = [0.53, 0.55, 0.54],
            [("confidence", 20)] = [0.51, 0.52, 0.52], [("confidence", 50)] = [0.52, 0.51, 0.53],
            [("random", 20)] = [0.48, 0.50, 0.49], [("random", 50)] = [0.45, 0.47, 0.46],
        };
        var (cells, differences) = CurationTable.Build(["suspect", "confidence", "random"], [(20, 8), (50, 20)], none, perSeed, "random", "confidence", 0.95);
        return new CurationResult(10, 10, [0, 1, 2], "Student t over retraining seeds",
            [
                new("suspect", true, 41, "recomputed over the selection half"),
                new("confidence", false, 42, "stored ranking (uses no held-out images)"),
                new("random", false, null, "seeded at random per retraining seed"),
            ],
            new CurationCell(CurationTable.None, 0, 0, MeanInterval.Of(none), none), cells, differences);
    }

    [Fact]
    public void CurationTableGivesEachOrderAndPercentWithItsIntervalAndThePairedDifferences()
    {
        StoreAllKinds();
        var card = RenderPage().Find("section.evaluation-card[data-kind=curation]");
        Assert.Equal(["Removed (%)", "Removed (images)", "suspect mIoU [95%]", "confidence mIoU [95%]", "random mIoU [95%]"],
            card.QuerySelectorAll(".curation-table thead th").Select(t => t.TextContent.Trim()));
        var rows = card.QuerySelectorAll(".curation-table tbody tr").Select(Cells).ToArray();
        Assert.Equal(3, rows.Length);
        // 0%: 0.50, 0.51, 0.52 → mean 0.51, SE = 0.01/√3 = 0.0057735, t(0.975, 2) = 4.302653 → ± 0.024841.
        Assert.StartsWith("0.510 [0.485, 0.535]", rows[0][2]);
        // suspect at 20%: 0.52, 0.53, 0.54 → 0.530 [0.505, 0.555]; random at 50%: 0.45, 0.47, 0.46 → 0.460 [0.435, 0.485].
        Assert.Equal(["20%", "8", "0.530 [0.505, 0.555]", "0.517 [0.502, 0.531]", "0.490 [0.465, 0.515]"], rows[1]);
        Assert.Equal("0.460 [0.435, 0.485]", rows[2][4]);

        var headers = card.QuerySelectorAll(".curation-differences thead th").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(["Removed (%)", "suspect − none removed", "suspect − random", "suspect − confidence", "confidence − none removed",
            "confidence − random", "random − none removed"], headers);
        var differences = card.QuerySelectorAll(".curation-differences tbody tr").ToArray();
        var at50 = Cells(differences[1]);
        // suspect − random at 50%: 0.08, 0.08, 0.08 → +0.080 with no spread: the interval is the point.
        Assert.Equal("+0.080 [+0.080, +0.080]", at50[2]);
        // suspect − confidence at 50%: 0.01, 0.04, 0.01 → mean 0.02, SE 0.01 → ± 0.043027: [−0.023, +0.063], includes zero.
        Assert.Equal("+0.020 [-0.023, +0.063]", at50[3]);
        Assert.Contains("excludes-zero", differences[1].QuerySelectorAll("td")[2].ClassName);
        Assert.DoesNotContain("excludes-zero", differences[1].QuerySelectorAll("td")[3].ClassName ?? "");

        Assert.Contains("(the queue's default detector)", card.QuerySelector(".curation-orders li[data-order=suspect]")!.TextContent);
        Assert.Contains("ranking run 42", card.QuerySelector(".curation-orders li[data-order=confidence]")!.TextContent);
    }

    [Fact]
    public void CurationChartHasOneLinePerOrderFromTheSharedBaselineWithAnIntervalBarPerPoint()
    {
        StoreAllKinds();
        var chart = RenderPage().Find("section.evaluation-card[data-kind=curation] svg.curation-curve");
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Contains("suspect: 20% 0.530 [0.505, 0.555]", chart.GetAttribute("aria-label"));
        var groups = chart.QuerySelectorAll("g.series-group");
        Assert.Equal(["suspect", "confidence", "random"], groups.Select(g => g.GetAttribute("data-order")));
        Assert.All(groups, g => Assert.Equal(3, g.QuerySelectorAll("line.error-bar").Length));
        Assert.Contains("random", groups[2].QuerySelector("polyline")!.ClassName);
        // A bar spans the interval: suspect at 20% and random at 50% have the same spread (SE 0.00577), so equal bars.
        double Span(AngleSharp.Dom.IElement bar) =>
            Math.Abs(double.Parse(bar.GetAttribute("y1")!, System.Globalization.CultureInfo.InvariantCulture) -
                     double.Parse(bar.GetAttribute("y2")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Span(groups[0].QuerySelectorAll("line.error-bar")[1]), Span(groups[2].QuerySelectorAll("line.error-bar")[2]), 1);
    }

    [Fact]
    public void CurationResultsOfAnEarlierVersionAreReportedUnreadable()
    {
        Store(EvaluationKinds.Curation, new { Seeds = new[] { 0 } }, new { SelectionImages = 2, EvaluationImages = 2, Points = Array.Empty<object>() });
        var card = RenderPage().Find("section.evaluation-card[data-kind=curation]");
        Assert.Contains("earlier version", card.QuerySelector(".evaluation-error")!.TextContent);
    }

    [Fact]
    public void LdsTableAndBars()
    {
        StoreAllKinds();
        var card = RenderPage().Find("section.evaluation-card[data-kind=lds]");
        var rows = card.QuerySelectorAll(".lds-table tbody tr").Select(Cells).ToArray();
        Assert.Equal(["trak", "image", "0.310 ± 0.050", "12"], rows[0]);
        Assert.Equal(["similarity", "class", "-0.050 ± 0.020", "9"], rows[1]);
        var chart = card.QuerySelector("svg.lds-bars")!;
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Equal(2, chart.QuerySelectorAll("rect.bar").Length);
        Assert.Single(chart.QuerySelectorAll("rect.bar.negative"));
        Assert.Equal(2, chart.QuerySelectorAll("line.error-bar").Length);
    }

    [Fact]
    public void CounterfactualTableHasAColumnPerNumberRemoved()
    {
        StoreAllKinds();
        var card = RenderPage().Find("section.evaluation-card[data-kind=counterfactual]");
        Assert.Equal(["Method", "k = 5", "k = 10"], card.QuerySelectorAll(".counterfactual-table thead th").Select(t => t.TextContent.Trim()));
        var rows = card.QuerySelectorAll(".counterfactual-table tbody tr").Select(Cells).ToArray();
        Assert.Equal(["trak", "0.120 ± 0.030", "0.200 ± 0.040"], rows[0]);
        Assert.Equal(["random", "0.011 ± 0.005", "0.025 ± 0.006"], rows[1]);
        Assert.Contains("0.400 ± 0.020", card.QuerySelector(".counterfactual-baseline")!.TextContent);
        Assert.Contains("class target loss: mean binary cross-entropy", card.QuerySelector(".counterfactual-loss")!.TextContent);
    }

    [Fact]
    public void BrittlenessLinksTargetsAndShowsBracketsAndSteps()
    {
        StoreAllKinds();
        var card = RenderPage().Find("section.evaluation-card[data-kind=brittleness]");
        Assert.Contains("f < 0: mean log-odds below zero", card.QuerySelector(".break-rule")!.TextContent);
        var rows = card.QuerySelectorAll(".brittleness-table tbody tr");
        Assert.Equal(2, rows.Length);
        var link = rows[0].QuerySelector("a.brittleness-target")!;
        // Images by COCO id (the held-out image is 104), never the database id.
        Assert.Equal($"/datasets/{db.DatasetId}/images/104?target=class:3", link.GetAttribute("href"));
        Assert.Contains("image 104, cat", link.TextContent);
        Assert.Equal("1.234", Cells(rows[0])[2]);
        Assert.Equal("8", rows[0].QuerySelector(".smallest")!.TextContent.Trim());
        Assert.Equal("(4, 8]", rows[0].QuerySelector(".bracket")!.TextContent.Trim());
        Assert.Equal(["16→broke", "8→broke", "4→held"], rows[0].QuerySelectorAll(".step-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal("> 16", rows[1].QuerySelector(".smallest")!.TextContent.Trim());
        Assert.Equal(["16→held"], rows[1].QuerySelectorAll(".step-chip.held").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void WithoutEvaluationsTheEmptyStateNamesTheCommand()
    {
        var page = RenderPage();
        Assert.Empty(page.FindAll("section.evaluation-card"));
        var empty = page.Find(".evaluation-empty");
        Assert.Contains("dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll eval all --dataset sample", empty.TextContent);
        Assert.Contains("eval label-errors|curation|lds|counterfactual|brittleness", empty.TextContent);
    }

    [Fact]
    public void AMissingKindSaysHowToRunIt()
    {
        Store(EvaluationKinds.Lds, new { Subsets = 4 }, new LdsResult(4, 0.5, 20, [new("trak", "image", new MeanWithError(0.31, 0.05, 12), 12)]));
        var page = RenderPage();
        Assert.Equal(["lds"], page.FindAll("section.evaluation-card").Select(s => s.GetAttribute("data-kind")!));
        var missing = page.FindAll(".evaluation-missing");
        Assert.Equal(4, missing.Count);
        Assert.Contains("not run yet", page.Find(".evaluation-missing[data-kind=curation]").TextContent);
        Assert.Contains("precompute.dll eval curation --dataset sample", page.Find(".evaluation-missing[data-kind=curation]").TextContent);
        Assert.Contains("eval label-errors", page.Find(".evaluation-missing[data-kind=label_errors]").TextContent);
    }

    [Fact]
    public void AnUnknownDatasetSaysToRunTheDemoFirst()
    {
        var missing = new AttributionExplorer.Web.Services.MissingResource();
        Services.AddSingleton(missing);
        RenderPage(db.DatasetId + 100);
        Assert.Contains($"No dataset with id {db.DatasetId + 100}", missing.Message);
        Assert.Contains("./run-demo.sh", missing.Message);
        Assert.Contains("eval all --dataset demo --demo-sizes", missing.Message);
    }

    [Fact]
    public void KindsTitlesAndCommandsComeFromTheCatalogAndAnUnknownKindGetsTheGenericView()
    {
        // A worker that registers one more evaluation (no view of its own in the web) and has stored a run of it.
        var extra = new AttributionExplorer.Core.Plugins.EvaluationKindInfo("noise_robustness", "Noise robustness",
            "How rankings change when label noise is added.", "noise", -1);
        db.Catalog.Publish(SeededDatabase.Methods, AttributionExplorer.Core.Plugins.BuiltInPlugins.TargetKinds,
            [.. AttributionExplorer.Core.Plugins.BuiltInPlugins.Evaluations, extra]);
        StorePluginRun("noise_robustness", new { Seed = 3 }, new
        {
            NoiseRate = 0.1,
            Summary = new { Best = "trak", Runs = 4 },
            Methods = new object[] { new { Method = "trak", Kendall = 0.81234 }, new { Method = "random", Kendall = 0.0123, Note = "control" } },
        });
        var page = RenderPage();

        Assert.Equal(["noise_robustness"], page.FindAll("section.evaluation-card").Select(s => s.GetAttribute("data-kind")!));
        var card = page.Find("section.evaluation-card[data-kind=noise_robustness]");
        Assert.Equal("Noise robustness", card.QuerySelector("h2")!.TextContent);
        Assert.Contains("label noise", card.QuerySelector(".evaluation-explanation")!.TextContent);
        var results = card.QuerySelectorAll(".evaluation-results > div")
            .ToDictionary(d => d.QuerySelector("dt")!.TextContent, d => d.QuerySelector("dd")!.TextContent);
        Assert.Equal("0.100", results["NoiseRate"]);
        Assert.Equal("trak", results["Summary.Best"]);
        Assert.Equal("4", results["Summary.Runs"]);
        var table = card.QuerySelector(".generic-table")!;
        Assert.Equal("Methods", table.QuerySelector("caption")!.TextContent);
        Assert.Equal(["Method", "Kendall", "Note"], table.QuerySelectorAll("thead th").Select(t => t.TextContent));
        Assert.Equal(["random", "0.012", "control"], Cells(table.QuerySelectorAll("tbody tr")[1]));
        Assert.Equal("", Cells(table.QuerySelectorAll("tbody tr")[0])[2]);

        // The built-in kinds are listed after it (catalog order) with the dataset's command.
        var missing = page.FindAll(".evaluation-missing").Select(m => m.GetAttribute("data-kind")).ToArray();
        Assert.Equal(EvaluationKinds.All, missing);
    }

    [Fact]
    public void AStoredKindTheCatalogDoesNotListIsStillShown()
    {
        StorePluginRun("legacy_check", new { }, new { Passed = true });
        var card = RenderPage().Find("section.evaluation-card[data-kind=legacy_check]");
        Assert.Equal("legacy_check", card.QuerySelector("h2")!.TextContent);
        Assert.Equal("true", card.QuerySelector(".evaluation-results dd")!.TextContent);
    }

    [Fact]
    public void UnreadableResultsOfAKnownKindSaySo()
    {
        Store(EvaluationKinds.Lds, new { Subsets = 4 }, new[] { 1, 2 });
        var card = RenderPage().Find("section.evaluation-card[data-kind=lds]");
        Assert.Contains("could not be read", card.QuerySelector(".evaluation-error")!.TextContent);
    }
}
