using System.Text.Json;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Pages;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Evaluations;

/// <summary>The LDS-against-ensemble-size card of the evaluation page, from an eval.lds_ensemble run stored the way
/// `precompute study lds` stores it (the study is not in the plug-in catalog: its title comes from the built-in studies).</summary>
public class LdsEnsembleViewTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public LdsEnsembleViewTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<IDatasetRepository>(db.Datasets);
        Services.AddSingleton<IEvaluationRepository>(new EvaluationRepository(db.Database));
        Services.AddSingleton<AttributionExplorer.Core.Plugins.IPluginCatalog>(db.Catalog);
        Services.AddSingleton<AttributionExplorer.Web.Services.IAttributionRepository>(db.Attributions);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private static LdsEnsemblePoint Point(string kind, int models, bool trajectory, double mean, double se) =>
        new(kind, models, trajectory, trajectory ? 2 * models : models, new MeanWithError(mean, se, 60), 60);

    private AngleSharp.Dom.IElement Card(IReadOnlyList<LdsReference>? references = null, IReadOnlyList<LdsEnsemblePoint>? points = null)
    {
        var result = new LdsEnsembleResult(600, 60, 48, 0.5, 300, 128, 2, "class_all_pixels", points ??
        [
            Point("image", 1, false, 0.05, 0.02), Point("image", 1, true, 0.08, 0.02),
            Point("image", 4, false, 0.15, 0.025), Point("image", 4, true, 0.21, 0.024),
            Point("class_all_pixels", 1, false, 0.02, 0.02), Point("class_all_pixels", 1, true, 0.03, 0.02),
            Point("class_all_pixels", 4, false, 0.10, 0.02), Point("class_all_pixels", 4, true, 0.12, 0.02),
            Point("class_labelled_pixels", 1, false, 0.04, 0.02), Point("class_labelled_pixels", 1, true, 0.05, 0.02),
            Point("class_labelled_pixels", 4, false, 0.18, 0.02), Point("class_labelled_pixels", 4, true, 0.25, 0.02),
        ], [new("image", new MeanWithError(0.04, 0.02, 60), 24), new("class_labelled_pixels", new MeanWithError(0.41, 0.03, 60), 24)],
        References: references);
        db.AddEvaluation(EvaluationKinds.LdsEnsemble, JsonSerializer.Serialize(new { models = 4, subsets = 48 }), JsonSerializer.Serialize(result), 3600);
        return Render<EvaluationPage>(p => p.Add(c => c.DatasetId, db.DatasetId)).Find("section.evaluation-card[data-kind=lds_ensemble]");
    }

    [Fact]
    public void TheCardIsTitledAndExplainedFromTheBuiltInStudies()
    {
        var card = Card();
        Assert.Equal("LDS against ensemble size", card.QuerySelector(".evaluation-title")!.TextContent.Trim());
        Assert.Contains("precompute study lds", card.QuerySelector(".evaluation-explanation")!.TextContent);
    }

    [Fact]
    public void TheTableHasFinalAndTrajectoryFiguresPerKindAndEnsembleSize()
    {
        var rows = Card().QuerySelectorAll(".lds-ensemble-table tbody tr")
            .Select(r => r.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray()).ToArray();
        Assert.Equal(6, rows.Length);
        Assert.Equal(["image", "4", "0.150 ± 0.025 (4)", "0.210 ± 0.024 (8)", "60"], rows[1]);
        Assert.Equal(["class_labelled_pixels", "4", "0.180 ± 0.020 (4)", "0.250 ± 0.020 (8)", "60"], rows[5]);
    }

    [Fact]
    public void EachCellAddsItsIntervalOverSubsetsWhenTheStudyMeasuredIt()
    {
        Assert.Null(Card().QuerySelector(".lds-ensemble-intervals"));
        var card = Card(points: [Point("image", 1, true, 0.1, 0.02) with { SubsetInterval = new Interval(0.1, -0.02, 0.19) }]);
        var cells = card.QuerySelector(".lds-ensemble-table tbody tr")!.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal("0.100 ± 0.020 (2) [-0.020, 0.190]", cells[2]);
        Assert.Contains("bootstrap interval over subsets", card.QuerySelector(".lds-ensemble-intervals")!.TextContent);
    }

    [Fact]
    public void TheChartDrawsASolidAndADashedCurvePerKindWithErrorBars()
    {
        var chart = Card().QuerySelector("svg.lds-ensemble-chart")!;
        Assert.Equal("img", chart.GetAttribute("role"));
        var series = chart.QuerySelectorAll("g.lds-series");
        Assert.Equal(6, series.Length);
        var trajectory = series.Single(s => s.GetAttribute("data-target-kind") == "image" && s.GetAttribute("data-trajectory") == "true");
        Assert.Equal("none", trajectory.QuerySelector("polyline")!.GetAttribute("stroke-dasharray"));
        Assert.Equal(2, trajectory.QuerySelectorAll("line.error-bar").Length);
        Assert.Contains("image, 4 models with trajectory (8 checkpoints): LDS 0.210 ± 0.024 over 60 targets",
            trajectory.QuerySelectorAll("circle title").Select(t => t.TextContent));
        Assert.Equal(["1", "4"], chart.QuerySelectorAll("text.tick").Select(t => t.TextContent).Where(t => t is "1" or "4" or "2"));
        // The higher curve sits higher on screen: y of image at 4 with trajectory < y of image at 1 final.
        var final = series.Single(s => s.GetAttribute("data-target-kind") == "image" && s.GetAttribute("data-trajectory") == "false");
        double Y(AngleSharp.Dom.IElement g, int i) => double.Parse(g.QuerySelectorAll("circle")[i].GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Y(trajectory, 1) < Y(final, 0));
    }

    [Fact]
    public void TheClassVariantsAreComparedAndTheDefaultNamed()
    {
        string text = Card().QuerySelector(".lds-ensemble-classes")!.TextContent;
        Assert.Contains("class_labelled_pixels 0.250 ± 0.020, class_all_pixels 0.120 ± 0.020", text);
        Assert.Contains("class_all_pixels when this ran", text);
    }

    [Fact]
    public void TheSeedNoiseCeilingIsStatedPerKind()
    {
        string text = Card().QuerySelector(".lds-ensemble-ceilings")!.TextContent;
        Assert.Contains("same 24 subsets", text);
        Assert.Contains("image 0.040 ± 0.020, class_labelled_pixels 0.410 ± 0.030", text);
    }

    [Fact]
    public void TheReferencePredictorsAreATablePerKindAndAbsentWhenNotMeasured()
    {
        Assert.Null(Card().QuerySelector(".lds-ensemble-references"));
        var card = Card([new("image", "foreground share of the subset", new MeanWithError(0.045, 0.009, 60)),
            new("image", "mean of the kind's other targets", new MeanWithError(0.902, 0.008, 60)),
            new("object", "mean of the kind's other targets", new MeanWithError(0.41, 0.02, 158))]);
        var table = card.QuerySelector(".lds-ensemble-references table")!;
        Assert.Equal(["Target kind", "foreground share of the subset", "mean of the kind's other targets"],
            table.QuerySelectorAll("thead th").Select(h => h.TextContent.Trim()));
        Assert.Equal(["image", "0.045 ± 0.009", "0.902 ± 0.008"],
            table.QuerySelectorAll("tr[data-target-kind=image] th, tr[data-target-kind=image] td").Select(c => c.TextContent.Trim()));
        Assert.Equal(["object", "—", "0.410 ± 0.020"],
            table.QuerySelectorAll("tr[data-target-kind=object] th, tr[data-target-kind=object] td").Select(c => c.TextContent.Trim()));
    }
}
