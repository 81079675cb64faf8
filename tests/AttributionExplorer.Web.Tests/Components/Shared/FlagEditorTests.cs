using System.Globalization;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Core.Accounts;
using AttributionExplorer.Core.Options;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class FlagEditorTests : BunitContext
{
    private readonly SeededDatabase db = new();
    private readonly FlagRepository flags;
    private int savedCalls;

    public FlagEditorTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        flags = new FlagRepository(db.Database);
        Services.AddSingleton<IFlagRepository>(flags);
        Services.AddSingleton(new SecurityOptions());
        auth = AddAuthorization();
    }

    private readonly BunitAuthorizationContext auth;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private long Image => db.Train[1];

    /// <summary>The editor as the signed-in <paramref name="user"/> with <paramref name="role"/> sees it.</summary>
    private IRenderedComponent<FlagEditor> RenderEditor(string user = "alice", string role = UserRoles.Annotator)
    {
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        return Render<FlagEditor>(p => p.Add(c => c.DatasetId, db.DatasetId).Add(c => c.ImageId, Image).Add(c => c.OnSaved, () => savedCalls++));
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string? Pressed(IRenderedComponent<FlagEditor> cut) =>
        cut.FindAll("button.flag-state").SingleOrDefault(b => b.GetAttribute("aria-pressed") == "true")?.GetAttribute("data-state");

    [Fact]
    public void ShowsTheStoredStateWithTextIconNoteAndHistory()
    {
        var stored = flags.Save(db.DatasetId, Image, FlagStates.Suspected, "tail not in the mask", "carol", 0).Flag!;
        var cut = RenderEditor();

        var state = cut.Find(".flag-current");
        Assert.Equal(FlagStates.Suspected, state.GetAttribute("data-state"));
        Assert.Contains("Open: suspected error", state.TextContent);
        Assert.Contains($"by carol at {Time(stored.UpdatedUtc)}", state.TextContent);
        Assert.NotNull(state.QuerySelector("svg"));
        Assert.Equal("tail not in the mask", cut.Find("textarea.flag-note").GetAttribute("value"));
        Assert.Equal(FlagStates.Suspected, Pressed(cut));
        Assert.Equal(new[] { FlagStates.Suspected, FlagStates.Confirmed, FlagStates.Ok, FlagStates.Fixed },
            cut.FindAll("button.flag-state").Select(b => b.GetAttribute("data-state")));
        Assert.All(cut.FindAll("button.flag-state"), b => Assert.False(b.HasAttribute("accesskey")));
        Assert.Equal(new[] { "S", "C", "O", "F" }, cut.FindAll("button.flag-state kbd").Select(k => k.TextContent));
        var entry = cut.Find(".flag-history li");
        Assert.Contains("Open: suspected error by carol", entry.TextContent);
        Assert.Contains("tail not in the mask", entry.TextContent);
    }

    [Fact]
    public void AnUnflaggedImageSaysSoAndAViewerCannotSaveAFlag()
    {
        var cut = RenderEditor("vic", UserRoles.Viewer);
        Assert.Equal("none", cut.Find(".flag-current").GetAttribute("data-state"));
        Assert.Contains("Not flagged", cut.Find(".flag-current").TextContent);
        Assert.Null(Pressed(cut));
        Assert.True(cut.Find("button.flag-save").HasAttribute("disabled"));
        cut.Find("button.flag-state[data-state=ok]").Click();
        Assert.True(cut.Find("button.flag-save").HasAttribute("disabled"));
        Assert.Contains("Your role (viewer) reads flags; annotators and admins set them.", cut.Markup);
        Assert.All(cut.FindAll("button[data-shortcut]"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.Empty(cut.FindAll(".flag-history li"));
    }

    [Fact]
    public void SavingFlipsTheStateAndAddsToTheHistory()
    {
        var cut = RenderEditor();
        cut.Find("button.flag-state[data-state=confirmed]").Click();
        cut.Find("textarea.flag-note").Input("the dog is labelled cat");
        cut.Find("button.flag-save").Click();

        var stored = flags.Get(Image)!;
        Assert.Equal((FlagStates.Confirmed, "the dog is labelled cat", "alice", 1), (stored.State, stored.Note, stored.Author, stored.Version));
        Assert.Equal(1, savedCalls);
        Assert.Equal(FlagStates.Confirmed, cut.Find(".flag-current").GetAttribute("data-state"));
        Assert.Contains("Confirmed error", cut.Find(".flag-current").TextContent);
        Assert.Contains("Confirmed error by alice", cut.Find(".flag-history li").TextContent);

        // The second save names the version the first one produced.
        cut.Find("button.flag-state[data-state=ok]").Click();
        cut.Find("button.flag-save").Click();
        Assert.Equal((FlagStates.Ok, 2), (flags.Get(Image)!.State, flags.Get(Image)!.Version));
        Assert.Equal(new[] { "2", "1" }, cut.FindAll(".flag-history li").Select(li => li.GetAttribute("data-version")));
        Assert.Contains("Not an error by alice", cut.FindAll(".flag-history li")[0].TextContent);
        Assert.Empty(cut.FindAll(".flag-conflict"));
        Assert.Equal(2, savedCalls);
    }

    [Fact]
    public void AChangeMadeMeanwhileIsShownAndTheTypedNoteIsKept()
    {
        flags.Save(db.DatasetId, Image, FlagStates.Suspected, "", "carol", 0);
        var cut = RenderEditor();
        cut.Find("button.flag-state[data-state=ok]").Click();
        cut.Find("textarea.flag-note").Input("mask is right, I checked the original");

        var theirs = flags.Save(db.DatasetId, Image, FlagStates.Confirmed, "the handle is a toothbrush", "bob", 1).Flag!;
        cut.Find("button.flag-save").Click();

        var alert = cut.Find(".flag-conflict");
        Assert.Contains($"Changed by bob at {Time(theirs.UpdatedUtc)}: Confirmed error", alert.TextContent);
        Assert.Contains("the handle is a toothbrush", alert.TextContent);
        Assert.Equal("mask is right, I checked the original", cut.Find("textarea.flag-note").GetAttribute("value"));
        Assert.Equal(FlagStates.Ok, Pressed(cut));
        Assert.Equal(FlagStates.Confirmed, cut.Find(".flag-current").GetAttribute("data-state"));
        Assert.Equal(theirs, flags.Get(Image));
        Assert.Equal(0, savedCalls);
        Assert.Contains("Confirmed error by bob", cut.Find(".flag-history li").TextContent);

        // Saving again is made against bob's version, so it goes through.
        cut.Find("button.flag-save").Click();
        var mine = flags.Get(Image)!;
        Assert.Equal((FlagStates.Ok, "mask is right, I checked the original", "alice", 3), (mine.State, mine.Note, mine.Author, mine.Version));
        Assert.Empty(cut.FindAll(".flag-conflict"));
        Assert.Equal(1, savedCalls);
    }

    [Fact]
    public void KeysChooseAStateAndCtrlEnterSaves()
    {
        var cut = RenderEditor();
        cut.Find(".flag-states").KeyDown(new KeyboardEventArgs { Key = "c" });
        Assert.Equal(FlagStates.Confirmed, Pressed(cut));
        cut.Find(".flag-states").KeyDown(new KeyboardEventArgs { Key = "S" });
        Assert.Equal(FlagStates.Suspected, Pressed(cut));
        cut.Find(".flag-states").KeyDown(new KeyboardEventArgs { Key = "o", CtrlKey = true });
        Assert.Equal(FlagStates.Suspected, Pressed(cut));

        cut.Find("textarea.flag-note").Input("odd outline");
        cut.Find("textarea.flag-note").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        Assert.Null(flags.Get(Image));
        cut.Find("textarea.flag-note").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });
        Assert.Equal((FlagStates.Suspected, "odd outline"), (flags.Get(Image)!.State, flags.Get(Image)!.Note));
    }

    [Fact]
    public void ShowsTheLastFiveChanges()
    {
        for (int v = 0; v < 7; v++)
            flags.Save(db.DatasetId, Image, FlagStates.All[v % 3], $"note {v + 1}", "carol", v);
        var cut = RenderEditor();
        Assert.Equal(new[] { "7", "6", "5", "4", "3" }, cut.FindAll(".flag-history li").Select(li => li.GetAttribute("data-version")));
    }

    [Fact]
    public void AConfirmedErrorCanBeMarkedFixedWithItsKey()
    {
        flags.Save(db.DatasetId, Image, FlagStates.Confirmed, "cat labelled dog", "carol", 0);
        var cut = RenderEditor();
        cut.Find(".flag-states").KeyDown(new KeyboardEventArgs { Key = "f" });
        Assert.Equal(FlagStates.Fixed, Pressed(cut));
        cut.Find("textarea.flag-note").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });
        Assert.Equal(FlagStates.Fixed, flags.Get(Image)!.State);
        Assert.Contains("Fixed", cut.Find(".flag-current").TextContent);
        Assert.Equal(new[] { "Fixed", "Confirmed error" }, cut.FindAll(".flag-history li").Select(li => li.TextContent.Trim().Split(" by ")[0]));
    }
}
