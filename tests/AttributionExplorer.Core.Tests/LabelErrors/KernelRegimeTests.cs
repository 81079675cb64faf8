using AttributionExplorer.Core.LabelErrors;

namespace AttributionExplorer.Core.Tests.LabelErrors;

public class KernelRegimeTests
{
    [Fact]
    public void TheDemosOldSettingIsDegenerateOnEveryCount()
    {
        // n = 240 < k = 512: ΦᵀΦ has rank ≤ 240, so 272 eigenvalues are 0 and below any ridge; λ_min = 0.
        var warnings = KernelRegime.Warnings(240, 512, 0, 5.0, 1e-7, 272);
        Assert.Equal(3, warnings.Count);
        Assert.Contains("n/k = 0.47 < 4", warnings[0]);
        Assert.Contains("5e+7", warnings[1]);
        Assert.Contains("272 of 512", warnings[2]);
    }

    [Fact]
    public void ASoundKernelHasNoWarning() =>
        Assert.Empty(KernelRegime.Warnings(1000, 128, 1e-4, 1.0, 1e-3, 10));

    [Fact]
    public void EachBoundIsCheckedOnItsOwn()
    {
        Assert.Single(KernelRegime.Warnings(500, 128, 1e-4, 1.0, 1e-3, 0));      // n/k = 3.9
        Assert.Single(KernelRegime.Warnings(512, 128, 0, 1.0, 1e-7, 0));         // condition 1e7
        Assert.Single(KernelRegime.Warnings(512, 128, 1e-4, 1.0, 1e-3, 13));     // 13 of 128 below the ridge
    }
}
