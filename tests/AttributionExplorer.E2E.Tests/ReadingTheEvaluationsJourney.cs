using System.Text.Json;
using AttributionExplorer.Core.Evaluation;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>A researcher opens the Evaluation page after `precompute eval all` and reads the stored figures.</summary>
[Collection(DemoAppCollection.Name)]
public class ReadingTheEvaluationsJourney(DemoApp app)
{
    [Fact]
    public async Task EveryEvaluationShowsItsChartsAndTheStoredFigures()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        await page.GetByRole(AriaRole.Link, new() { Name = "Evaluation", Exact = true }).ClickAsync();
        await DemoApp.WaitForLocation(page, $"^/datasets/{app.DemoId}/evaluation$");
        await page.Locator("section.evaluation-card").First.WaitForAsync();

        foreach (var kind in EvaluationKinds.All)
            Assert.Equal(1, await page.Locator($"section.evaluation-card[data-kind='{kind}']").CountAsync());

        var (labels, curation) = StoredResults();
        var precision = page.Locator("section[data-kind='label_errors'] figure.precision-curve");
        Assert.Contains("Precision curve", await precision.GetAttributeAsync("aria-label"));
        Assert.Equal(labels.Methods.Count + 1, await precision.Locator("path.mud-chart-line").CountAsync()); // and the base rate
        foreach (var method in labels.Methods)
            Assert.Equal(1, await page.Locator($"section[data-kind='label_errors'] tr[data-method='{method.Method}']").CountAsync());

        var curve = page.Locator("section[data-kind='curation'] svg.curation-curve");
        // One line per order, each from the shared 0% model; one interval bar per point (the demo's ≥ 2 seeds).
        int points = curation.Orders.Count * (1 + curation.Cells.Select(c => c.PercentRemoved).Distinct().Count());
        Assert.Equal(curation.Orders.Count, await curve.Locator("polyline.series").CountAsync());
        Assert.Equal(points, await curve.Locator("line.error-bar").CountAsync());
        Assert.Contains("− random", await page.Locator("section[data-kind='curation'] .curation-differences").InnerTextAsync());
        Assert.Equal(1, await page.Locator("section[data-kind='lds'] svg.lds-bars").CountAsync());
        Assert.Contains("broken", await page.Locator("section[data-kind='brittleness']").InnerTextAsync());
    }

    private (LabelErrorResult, CurationResult) StoredResults()
    {
        using var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        db.Open();
        string Json(string kind)
        {
            using var command = db.CreateCommand();
            command.CommandText = "SELECT result_json FROM runs WHERE kind = $kind AND state = 'complete' ORDER BY id DESC LIMIT 1";
            command.Parameters.AddWithValue("$kind", "eval." + kind);
            return (string)command.ExecuteScalar()!;
        }
        return (JsonSerializer.Deserialize<LabelErrorResult>(Json(EvaluationKinds.LabelErrors))!,
                JsonSerializer.Deserialize<CurationResult>(Json(EvaluationKinds.Curation))!);
    }
}
