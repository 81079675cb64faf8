using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace AttributionExplorer.E2E.Tests;

/// <summary>An annotator arrives signed out, is sent to the sign-in form, mistypes the password, signs in, flags a
/// training image (the flag carries their name), signs out and is signed out. No page may break the CSP.</summary>
[Collection(DemoAppCollection.Name)]
public class SigningInJourney(DemoApp app)
{
    [Fact]
    public async Task SignInFlagAndSignOut()
    {
        var (trainImage, cocoId) = TrainImage(app);
        string target = $"/datasets/{app.DemoId}/images/{cocoId}";
        var page = await app.OpenAsync(target, user: null);
        var cspViolations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) cspViolations.Add(m.Text); };
        page.PageError += (_, e) => cspViolations.Add("page error: " + e);

        await DemoApp.WaitForLocation(page, "^/signin\\?ReturnUrl=");
        await DemoApp.SignInAsync(page, DemoApp.Annotator, "not the password");
        await page.GetByText("Wrong user name or password.").WaitForAsync();
        Assert.Equal("", await page.GetByLabel("Password").InputValueAsync());

        await DemoApp.SignInAsync(page, DemoApp.Annotator, DemoApp.Password);
        await DemoApp.WaitForLocation(page, $"^{target}$");
        await DemoApp.WaitInteractive(page);
        Assert.Contains(DemoApp.Annotator, await page.InnerTextAsync(".app-user"));
        Assert.Empty(await page.Locator("[data-field='annotator']").AllAsync());

        // "OK" (checked, labels fine): a state no export drops, so the other journeys' exports are unaffected.
        await page.Locator("button.flag-state[data-state='ok']").ClickAsync();
        await page.Locator("textarea.flag-note").FillAsync("checked after signing in");
        await page.Locator("button.flag-save:not([disabled])").ClickAsync();
        await page.Locator(".flag-current[data-state='ok']").WaitForAsync();
        Assert.Contains($"by {DemoApp.Annotator}", await page.InnerTextAsync(".flag-current"));
        using (var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT author FROM flags WHERE image_id = {trainImage}";
            Assert.Equal(DemoApp.Annotator, command.ExecuteScalar());
        }

        await page.Locator("[data-action='sign-out']").ClickAsync();
        await page.GetByText("You are signed out.").WaitForAsync();
        await page.GotoAsync(app.BaseUrl + target);
        await DemoApp.WaitForLocation(page, "^/signin\\?ReturnUrl=");
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task AViewerSeesFlagsButCannotSetThem()
    {
        var page = await app.OpenAsync($"/datasets/{app.DemoId}/images/{TrainImage(app, offset: 1).CocoId}", DemoApp.Viewer);
        Assert.Contains("Your role (viewer) reads flags", await page.InnerTextAsync(".flag-editor"));
        Assert.True(await page.Locator("button.flag-save").IsDisabledAsync());
    }

    private static (long Id, long CocoId) TrainImage(DemoApp app, int offset = 0)
    {
        using var db = new SqliteConnection($"Data Source={app.DatabasePath};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        // Images the other journeys do not flag: the last training images of the demo.
        command.CommandText = $"SELECT id, coco_id FROM images WHERE dataset_id = {app.DemoId} AND split = 'train' ORDER BY id DESC LIMIT 1 OFFSET {offset}";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
