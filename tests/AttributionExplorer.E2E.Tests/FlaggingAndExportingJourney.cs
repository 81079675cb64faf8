using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>From a held-out image, open its strongest negative influencer, flag it with the keyboard, then export the
/// curated subset and check the downloaded id list against the database.</summary>
[Collection(DemoAppCollection.Name)]
public class FlaggingAndExportingJourney(DemoApp app)
{
    [Fact]
    public async Task FlagThenExportACuratedSubset()
    {
        var page = await app.OpenAsync(app.DemoGallery);
        await page.Locator("a.gallery-tile").Nth(2).ClickAsync();
        var negative = page.Locator("section.method-column[aria-label='TRAK negative'] a.influencer-tile").First;
        await negative.WaitForAsync();
        string flaggedPath = (await negative.GetAttributeAsync("href"))!;
        await negative.ClickAsync();
        await page.GetByText("Where this training image is influential").WaitForAsync();

        // The flag is saved under the signed-in user's name (the page opened signed in as the fixture's admin).
        await page.Locator("button[data-shortcut='s']:not([disabled])").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("s");
        await page.Locator(".flag-current[data-state='suspected']").WaitForAsync();
        Assert.Contains($"by {DemoApp.Admin}", await page.InnerTextAsync(".flag-current"));

        await page.GetByText("Label-error queue").First.ClickAsync();
        await page.GetByText("Export a curated subset").WaitForAsync();
        Assert.Contains($"Recorded as made by {DemoApp.Admin}.", await page.InnerTextAsync(".export-author"));
        await page.Locator("input[data-flag-state='suspected']").CheckAsync();
        await page.Locator("[data-action='create-export']").ClickAsync();
        var created = page.Locator("[data-export-id]");
        await created.WaitForAsync();
        long exportId = long.Parse((await created.GetAttributeAsync("data-export-id"))!);

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator($"tr[data-export-row='{exportId}'] a[data-format='txt']").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).Select(long.Parse).ToList();

        using var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        db.Open();
        var stored = Query(db, $"SELECT i.coco_id FROM export_images e JOIN images i ON i.id = e.image_id WHERE e.export_id = {exportId} ORDER BY e.position");
        Assert.Equal(stored, lines);
        // The page address names the image by its COCO id.
        long flaggedCoco = long.Parse(flaggedPath.Split('?')[0].Split('/').Last());
        long flaggedId = Query(db, $"SELECT id FROM images WHERE dataset_id = {app.DemoId} AND coco_id = {flaggedCoco}").Single();
        Assert.DoesNotContain(flaggedCoco, lines);
        // 40 training images minus the 10% (4) most suspect of the queue's ranking the export recorded, minus the flagged one.
        long run = Query(db, $"SELECT run_id FROM exports WHERE id = {exportId}").Single();
        var dropped = Query(db, $"SELECT train_image_id FROM overall_influence WHERE run_id = {run} AND rank <= 4").Append(flaggedId).ToHashSet();
        var expected = Query(db, $"SELECT coco_id FROM images WHERE dataset_id = {app.DemoId} AND split = 'train' AND id NOT IN ({string.Join(",", dropped)}) ORDER BY id");
        Assert.Equal(expected, lines);
        Assert.Equal(DemoApp.Admin, QueryText(db, $"SELECT author FROM exports WHERE id = {exportId}"));
        Assert.Equal(DemoApp.Admin, QueryText(db, $"SELECT author FROM flags WHERE image_id = {flaggedId}"));
        Assert.Equal("suspected", QueryText(db, $"SELECT state FROM flags WHERE image_id = {flaggedId}"));
    }

    private static List<long> Query(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<long>();
        while (reader.Read()) result.Add(reader.GetInt64(0));
        return result;
    }

    private static string QueryText(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
