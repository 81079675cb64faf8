using AttributionExplorer.Core.Domain;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class InfluencerPanelTests : BunitContext
{
    public InfluencerPanelTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void RendersTenPositiveAndTenNegativeTilesWithScoresImagesAndLinks()
    {
        var positive = Enumerable.Range(1, 12).Select(r => new Influencer(r, 1000 + r, 0.5f / r)).ToList();
        var negative = Enumerable.Range(1, 12).Select(r => new Influencer(r, 2000 + r, -0.25f / r)).ToList();
        Services.AddSingleton<IAttributionRepository>(new FakeAttributionRepository(positive, negative));

        var panel = Render<InfluencerPanel>(p => p
            .Add(c => c.Run, FakeAttributionRepository.Run)
            .Add(c => c.ImageId, FakeAttributionRepository.TargetImage));

        var columns = panel.FindAll("section.influencer-column");
        Assert.Equal(2, columns.Count);
        var positiveTiles = columns[0].QuerySelectorAll("a.influencer-tile");
        var negativeTiles = columns[1].QuerySelectorAll("a.influencer-tile");
        Assert.Equal(10, positiveTiles.Length);
        Assert.Equal(10, negativeTiles.Length);
        Assert.Equal("/images/1001", positiveTiles[0].GetAttribute("href"));
        Assert.Contains("+5.00e-01", positiveTiles[0].TextContent);
        Assert.Contains("-2.50e-01", negativeTiles[0].TextContent);
        Assert.Contains("-2.50e-02", negativeTiles[9].TextContent);
        Assert.NotNull(negativeTiles[0].QuerySelector("img[src^='/api/images/2001/pixels']"));
        Assert.NotNull(negativeTiles[0].QuerySelector("img[src='/api/images/2001/masks/gt.png']"));
        Assert.Contains("removing it would lower it", panel.Markup);
    }

    [Fact]
    public void SaysSoWhenThereIsNoRun()
    {
        Services.AddSingleton<IAttributionRepository>(new FakeAttributionRepository([], []));
        var panel = Render<InfluencerPanel>(p => p.Add(c => c.Run, null).Add(c => c.ImageId, 1L));
        Assert.Contains("No complete TRAK run yet", panel.Markup);
        Assert.Empty(panel.FindAll("a.influencer-tile"));
    }

    [Fact]
    public void SaysSoWhenTheImageIsNotATarget()
    {
        Services.AddSingleton<IAttributionRepository>(new FakeAttributionRepository([], []));
        var panel = Render<InfluencerPanel>(p => p.Add(c => c.Run, FakeAttributionRepository.Run).Add(c => c.ImageId, 3L));
        Assert.Contains("no full-image target", panel.Markup);
    }
}
