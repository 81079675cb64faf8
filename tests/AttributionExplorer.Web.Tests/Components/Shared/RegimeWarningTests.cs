using AttributionExplorer.Core.Domain;
using AttributionExplorer.Web.Components.Shared;
using Bunit;
using MudBlazor.Services;

namespace AttributionExplorer.Web.Tests.Components.Shared;

/// <summary>The banner renders from kernel figures as the worker stores them with a ranking run.</summary>
public class RegimeWarningTests : BunitContext
{
    private readonly SeededDatabase db = new();

    public RegimeWarningTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) db.Dispose();
    }

    private IRenderedComponent<RegimeWarning> RenderFor(IReadOnlyList<KernelFigures> stored) =>
        Render<RegimeWarning>(p => p.Add(c => c.Kernels, stored).Add(c => c.Subject, "TRAK run 7"));

    [Fact]
    public void ADegenerateKernelShowsEachViolatedBoundWithItsFiguresAndTheRule()
    {
        long run = db.Attributions.GetTarget(db.AddRun(AttributionMethods.Trak, new NewTarget(db.HeldOut, TargetKinds.Image, null, null), [1f, 2f, 3f, 4f]))!.RunId;
        // The old demo: n = 240 < 4k for k = 512, ΦᵀΦ of rank ≤ 240, so 272 eigenvalues are 0 and below the ridge.
        db.RankingRuns.RecordKernels(run, [new KernelFigures(3, 240, 512, 1e-7, 0, 5.0, 272), new KernelFigures(4, 240, 512, 1e-7, 0, 5.0, 272)]);

        var banner = RenderFor(db.Attributions.GetKernels(run)).Find(".regime-warning");

        Assert.Contains("Degenerate regime:", banner.TextContent);
        Assert.Contains("TRAK run 7", banner.TextContent);
        var figures = banner.QuerySelectorAll(".regime-figures li").Select(li => li.TextContent).ToArray();
        Assert.Equal(3, figures.Length);
        Assert.Contains("n = 240 train images for k = 512 projected dimensions (n/k = 0.47 < 4)", figures[0]);
        Assert.EndsWith("(checkpoints 3, 4)", figures[0]);
        Assert.Contains("condition number of ΦᵀΦ + λI is 5e+7", figures[1]);
        Assert.Contains("272 of 512 eigenvalues", figures[2]);
        Assert.Contains("n < 4·k", banner.QuerySelector(".regime-rule")!.TextContent);
    }

    [Fact]
    public void ASoundKernelOrNoneRendersNothing()
    {
        Assert.Empty(RenderFor([new KernelFigures(3, 1000, 128, 1e-3, 1e-4, 1.0, 10)]).FindAll(".regime-warning"));
        Assert.Empty(RenderFor([]).FindAll(".regime-warning"));
    }
}
