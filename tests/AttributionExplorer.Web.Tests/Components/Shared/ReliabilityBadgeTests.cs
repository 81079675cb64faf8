using AttributionExplorer.Core.Stability;
using AttributionExplorer.Web.Components.Shared;
using Bunit;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class ReliabilityBadgeTests : BunitContext
{
    private IRenderedComponent<ReliabilityBadge> RenderBadge(Reliability? value) => Render<ReliabilityBadge>(p => p.Add(c => c.Value, value));

    [Theory]
    [InlineData(0.81, "stable", "stable 0.81")]
    [InlineData(0.5, "moderate", "moderate 0.50")]
    [InlineData(0.12, "noisy", "noisy 0.12")]
    public void AFigureShowsItsLevelAndTheTooltipExplainsTheHalves(double rho, string level, string text)
    {
        var badge = RenderBadge(new Reliability(rho, "half A: seeds 0, 2 (4 checkpoints); half B: seed 1 (2 checkpoints)")).Find("span.reliability-badge");
        Assert.Equal(text, badge.TextContent);
        Assert.Equal(level, badge.GetAttribute("data-level"));
        Assert.Contains(level, badge.ClassList);
        string title = badge.GetAttribute("title")!;
        Assert.Contains("Spearman correlation between this ranking computed from two disjoint halves of the checkpoint ensemble", title);
        Assert.Contains("half A: seeds 0, 2 (4 checkpoints)", title);
        Assert.Contains("Stable ≥ 0.7, noisy < 0.3", title);
    }

    [Fact]
    public void WithoutAFigureTheBadgeSaysWhy()
    {
        var none = RenderBadge(Reliability.OneModel("moco embedding")).Find("span.reliability-badge");
        Assert.Equal("no split-half", none.TextContent);
        Assert.Contains("one moco embedding model", none.GetAttribute("title"));

        var unknown = RenderBadge(null).Find("span.reliability-badge");
        Assert.Equal("not measured", unknown.TextContent);
        Assert.Equal("unknown", unknown.GetAttribute("data-level"));
        Assert.Contains("rerun its command", unknown.GetAttribute("title"));
    }
}
