using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Core.Tests.Evaluation;

public class StudentTTests
{
    // Closed forms of the t quantile: ν = 1 (Cauchy), ν = 2 and ν = 4 (Shaw 2006; Wikipedia, "Student's t-distribution").
    private static double CauchyQuantile(double p) => Math.Tan(Math.PI * (p - 0.5));
    private static double TwoDofQuantile(double p) => (2 * p - 1) / Math.Sqrt(2 * p * (1 - p));
    private static double FourDofQuantile(double p)
    {
        double alpha = 4 * p * (1 - p);
        double q = Math.Cos(Math.Acos(Math.Sqrt(alpha)) / 3) / Math.Sqrt(alpha);
        return Math.Sign(p - 0.5) * 2 * Math.Sqrt(q - 1);
    }

    [Theory]
    [InlineData(0.975)]
    [InlineData(0.9)]
    [InlineData(0.6)]
    [InlineData(0.025)]
    [InlineData(0.995)]
    public void QuantileMatchesTheClosedFormsForOneTwoAndFourDegreesOfFreedom(double p)
    {
        Assert.Equal(CauchyQuantile(p), StudentT.Quantile(p, 1), 9);
        Assert.Equal(TwoDofQuantile(p), StudentT.Quantile(p, 2), 9);
        Assert.Equal(FourDofQuantile(p), StudentT.Quantile(p, 4), 9);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.4)]
    [InlineData(0.0)]
    [InlineData(1.7)]
    [InlineData(12.0)]
    public void CdfMatchesTheClosedFormsForOneAndTwoDegreesOfFreedom(double t)
    {
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, StudentT.Cdf(t, 1), 12);
        Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), StudentT.Cdf(t, 2), 12);
    }

    [Theory]
    // Printed tables (e.g. NIST/SEMATECH e-Handbook, table of t critical values) and the normal limit.
    [InlineData(0.975, 4, 2.776445)]
    [InlineData(0.975, 9, 2.262157)]
    [InlineData(0.995, 4, 4.604095)]
    [InlineData(0.975, 30, 2.042272)]
    [InlineData(0.975, 1e7, 1.959964)]
    public void QuantileMatchesTabulatedCriticalValues(double p, double dof, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(p, dof), tolerance: 1e-6);

    [Fact]
    public void LogGammaMatchesFactorialsAndTheHalfIntegerValue()
    {
        Assert.Equal(Math.Log(24), StudentT.LogGamma(5), 12);
        Assert.Equal(Math.Log(3628800), StudentT.LogGamma(11), 11);
        Assert.Equal(0.5 * Math.Log(Math.PI), StudentT.LogGamma(0.5), 12);
    }

    [Fact]
    public void OutOfRangeArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(0.9, 0));
    }
}
