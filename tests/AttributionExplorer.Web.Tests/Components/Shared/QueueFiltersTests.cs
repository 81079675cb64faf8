using AttributionExplorer.Core.Domain;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Web.Rendering;
using AttributionExplorer.Web.Services;
using Bunit;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

/// <summary>The queue's filter bar hands back the view the reviewer asked for, always on its first page; the score range
/// is typed on the queue's scale.</summary>
public class QueueFiltersTests : BunitContext
{
    private readonly List<QueueView> asked = [];

    public QueueFiltersTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<QueueFilters> Render(QueueView view, ScoreScale? scale = null) =>
        Render<QueueFilters>(p => p.Add(c => c.View, view)
            .Add(c => c.Categories, [new Category(90, "toothbrush", null, 2), new Category(3, "cat", "animal", 1)])
            .Add(c => c.Scale, scale ?? ScoreScale.Plain)
            .Add(c => c.ClearHref, "/datasets/1/queue")
            .Add(c => c.ViewChanged, (QueueView v) => asked.Add(v)));

    [Fact]
    public void TheStatesAreNamedAsAReviewerReadsThem()
    {
        var bar = Render(new QueueView());
        Assert.Equal(["any", "not flagged", "open", "confirmed error", "not an error", "fixed"],
            bar.FindAll("select[data-filter='state'] option").Select(o => o.TextContent));
        Assert.Equal(["", "unflagged", "suspected", "confirmed", "ok", "fixed"],
            bar.FindAll("select[data-filter='state'] option").Select(o => o.GetAttribute("value")));
        Assert.Equal(["any", "cat", "toothbrush"], bar.FindAll("select[data-filter='class'] option").Select(o => o.TextContent));
        Assert.Empty(bar.FindAll("[data-action='clear-filters']"));
    }

    [Fact]
    public void ChoosingAStateOrClassAsksForPageOneOfThatView()
    {
        var bar = Render(new QueueView("confidence", Page: 3, Planted: true));
        bar.Find("select[data-filter='state']").Change("suspected");
        Assert.Equal(new QueueView("confidence", FlagStates.Suspected, Planted: true), asked[^1]);
        bar.Find("select[data-filter='class']").Change("3");
        Assert.Equal(new QueueView("confidence", null, 3, Planted: true), asked[^1]);
        bar.Find("select[data-filter='class']").Change("");
        Assert.Null(asked[^1].Class);
    }

    [Fact]
    public void AScoreRangeIsTypedOnTheQueuesScaleAndBadInputIsNamed()
    {
        var micro = new ScoreScale(-6, 1);
        var bar = Render(new QueueView("trak", Min: -4e-6), micro);
        Assert.Equal("score (×10⁻⁶)", bar.Find(".score-range-field label").FirstChild!.TextContent.Trim().ToLowerInvariant());
        Assert.Equal("-4", bar.Find("input[data-filter='min']").GetAttribute("value"));
        Assert.NotNull(bar.Find("[data-action='clear-filters']"));

        bar.Find("input[data-filter='max']").Change("\u22122.5");
        Assert.Equal(-4e-6, asked[^1].Min!.Value, 15);
        Assert.Equal(-2.5e-6, asked[^1].Max!.Value, 15);

        int before = asked.Count;
        bar.Find("input[data-filter='max']").Change("lots");
        Assert.Equal(before, asked.Count);
        Assert.Contains("plain numbers", bar.Find(".queue-filter-problem").TextContent);
        bar.Find("input[data-filter='max']").Change("-9");
        Assert.Equal(before, asked.Count);
        Assert.Contains("lowest score is above the highest", bar.Find(".queue-filter-problem").TextContent);
    }
}
