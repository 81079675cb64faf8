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
}
