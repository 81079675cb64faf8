using AttributionExplorer.Core.Domain;
using AttributionExplorer.Web.Components.Shared;
using AttributionExplorer.Web.Services;
using Bunit;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;

namespace AttributionExplorer.Web.Tests.Components.Shared;

public class TargetChooserTests : BunitContext
{
    public TargetChooserTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static readonly Category[] Categories = [new(3, "cat", null, 1), new(90, "toothbrush", null, 2)];

    [Fact]
    public void OffersFullImageClassesAndNumberedObjectsAndReportsTheChoice()
    {
        AttributionTarget[] targets =
        [
            new(1, 1, 9, TargetKinds.Image, null, null),
            new(2, 2, 9, TargetKinds.Class, 90, null),
            new(3, 2, 9, TargetKinds.Class, 3, null),
            new(4, 3, 9, TargetKinds.Object, 90, 41),
            new(5, 3, 9, TargetKinds.Object, 90, 40),
        ];
        var options = TargetChooser.From(targets, Categories, AttributionExplorer.Core.Plugins.BuiltInPlugins.TargetKinds);
        Assert.Equal(new[] { "Full image", "class: cat", "class: toothbrush", "object: toothbrush #1", "object: toothbrush #2" }, options.Select(o => o.Label));
        Assert.Equal(40, options[3].Key.AnnotationId);

        TargetKey? chosen = null;
        var cut = Render<TargetChooser>(p => p.Add(c => c.Options, options).Add(c => c.Selected, TargetKey.FullImage)
            .Add(c => c.SelectedChanged, (TargetKey k) => chosen = k));
        var buttons = cut.FindAll("button.target-chip");
        Assert.Equal("true", buttons[0].GetAttribute("aria-pressed"));
        Assert.Equal("false", buttons[1].GetAttribute("aria-pressed"));
        buttons[4].Click();
        Assert.Equal(new TargetKey(TargetKinds.Object, 90, 41), chosen);
    }

    [Fact]
    public void KindsTitlesAndOrderComeFromTheCatalog()
    {
        AttributionTarget[] targets =
        [
            new(1, 1, 9, TargetKinds.Image, null, null),
            new(2, 2, 9, TargetKinds.Class, 3, null),
            new(3, 4, 9, "superpixel", 3, 77),
        ];
        AttributionExplorer.Core.Plugins.TargetKindInfo[] kinds =
        [
            new("superpixel", "Superpixel", AttributionExplorer.Core.Plugins.TargetSelector.Annotation, 0),
            new(TargetKinds.Image, "Whole image", AttributionExplorer.Core.Plugins.TargetSelector.None, 1),
            new(TargetKinds.Class, "Class", AttributionExplorer.Core.Plugins.TargetSelector.Category, 2),
        ];
        var options = TargetChooser.From(targets, Categories, kinds);
        Assert.Equal(new[] { "superpixel: cat #1", "Whole image", "class: cat" }, options.Select(o => o.Label));
        Assert.Equal("superpixel:9077", options[0].Key.ToQuery(AttributionExplorer.Core.Plugins.TargetSelector.Annotation, id => id + 9000));
        Assert.Equal("class:3", options[2].Key.ToQuery(AttributionExplorer.Core.Plugins.TargetSelector.Category, id => id));
        Assert.Equal("image", options[1].Key.ToQuery(AttributionExplorer.Core.Plugins.TargetSelector.None, id => id));
    }
}
