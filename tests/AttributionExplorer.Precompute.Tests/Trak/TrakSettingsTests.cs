using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Precompute.Tests.Trak;

public class TrakSettingsTests
{
    [Fact]
    public void AStructuredProjectionTooSmallForTheModelNamesTheSettingAndItsMinimum()
    {
        var model = DeepLabV3.Create(new ModelOptions { ImageSize = 32, BaseWidth = 8, BlocksPerStage = 1, AsppChannels = 8, AsppRates = [1, 2] }, 5);
        var settings = new TrakSettings(ProjectionDim: 3, ProjectionKind.Structured, ProjectionSeed: 0, Lambda: 1e-3, BatchSize: 4);

        var error = Assert.Throws<ArgumentException>(() => settings.CreateGradients(model));

        Assert.Contains("Trak:ProjectionDim = 3", error.Message);
        Assert.Contains("AttributionExplorer:Demo:Trak:ProjectionDim", error.Message);
        Assert.Matches(@"needs k ≥ \d+ for \d+ weight layers", error.Message);
        using var enough = Assert.IsType<KroneckerProjectedGradients>((settings with { ProjectionDim = 128 }).CreateGradients(model));
    }

    [Fact]
    public void EachKindNamesItsProjectorAndTheShippedDefaultIsTheSrht()
    {
        IProjector Make(ProjectionKind kind) => new TrakSettings(64, kind, ProjectionSeed: 0, Lambda: 1e-3, BatchSize: 4).CreateProjector(5000);
        Assert.IsType<SrhtProjector>(Make(ProjectionKind.Srht));
        Assert.IsType<RandomProjector>(Make(ProjectionKind.Gaussian));
        Assert.IsType<RandomProjector>(Make(ProjectionKind.Rademacher));
        Assert.IsType<NoOpProjector>(Make(ProjectionKind.Structured));
        Assert.Equal(ProjectionKind.Srht, AttributionExplorer.Worker.Pipeline.Trak.TrakProjection.ParseKind(new TrakOptions().ProjectionKind));
        Assert.Equal("srht", AttributionExplorer.Worker.Pipeline.Trak.TrakProjection.Of(new TrakOptions()).Projection);
    }

    [Fact]
    public void AnSrhtLargerThanTheModelNamesTheSettingAndItsBound()
    {
        var settings = new TrakSettings(ProjectionDim: 300, ProjectionKind.Srht, ProjectionSeed: 0, Lambda: 1e-3, BatchSize: 4);
        var error = Assert.Throws<ArgumentException>(() => settings.CreateProjector(200));
        Assert.Contains("Trak:ProjectionDim = 300", error.Message);
        Assert.Contains("at most 256", error.Message);
        Assert.IsType<SrhtProjector>((settings with { ProjectionDim = 256 }).CreateProjector(200));
    }
}
