using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

public class TrakScorerTests
{
    private const int N = 30, D = 4;


    /// <summary>TRAK with the identity projection and λ = 0 equals the influence formula
    /// −∇f(z)ᵀ(GᵀG)⁻¹gᵢ computed from analytic logistic-regression gradients in double precision.</summary>
    [Fact]
    public void UnprojectedScoresEqualTheClosedFormOnLogisticRegression()
    {
        var (x, y) = LogisticData.Make(N, D, seed: 3);
        var (xt, yt) = LogisticData.Make(5, D, seed: 4);
        double[] w = [0.8, -0.6, 0.3, 0.1];
        double bias = 0.2;
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter(w, bias);

        var result = TrakRunner.Run([model], new LogisticSource(x, y), new LogisticSource(xt, yt),
            _ => FullImageLogOddsOutput.Instance, new TrakSettings(0, ProjectionKind.Gaussian, 0, 0, 7));

        var theta = w.Append(bias).ToArray();
        var (g, gram) = LogisticData.LossGradientsAndGram(x, y, theta);

        for (int t = 0; t < xt.Length; t++)
        {
            var gradF = xt[t].Append(1.0).Select(v => yt[t] == 1 ? v : -v).ToArray();
            var solved = LogisticData.Solve(gram, gradF);
            for (int i = 0; i < N; i++)
            {
                double expected = -LogisticData.Dot(solved, g[i]);
                Assert.True(Math.Abs(result.Scores[t][i] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                    $"target {t}, train {i}: TRAK {result.Scores[t][i]} vs closed form {expected}");
            }
        }
    }

    /// <summary>The per-checkpoint scoring matrix handed to the sink is (GᵀG)⁻¹Gᵀ: column i solves GᵀG·x = gᵢ.</summary>
    [Fact]
    public void ScoringMatrixSinkReceivesTheClosedFormMatrix()
    {
        var (x, y) = LogisticData.Make(N, D, seed: 8);
        var (xt, yt) = LogisticData.Make(2, D, seed: 9);
        double[] theta = [0.4, 0.2, -0.5, 0.3, -0.1];
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter(theta[..D], theta[D]);
        float[,]? matrix = null;
        TrakRunner.Run([model], new LogisticSource(x, y), new LogisticSource(xt, yt),
            Enumerable.Repeat<ITargetOutput>(FullImageLogOddsOutput.Instance, xt.Length).ToArray(),
            new TrakSettings(0, ProjectionKind.Gaussian, 0, 0, 6),
            scoringMatrixSink: (m, s) =>
            {
                Assert.Equal(0, m);
                Assert.Equal(new long[] { D + 1, N }, s.shape);
                matrix = new float[D + 1, N];
                for (int a = 0; a <= D; a++)
                for (int i = 0; i < N; i++) matrix[a, i] = s[a, i].item<float>();
            });
        Assert.NotNull(matrix);

        var (g, gram) = LogisticData.LossGradientsAndGram(x, y, theta);
        for (int i = 0; i < N; i++)
        {
            var column = LogisticData.Solve(gram, g[i]);
            for (int a = 0; a <= D; a++)
                Assert.True(Math.Abs(matrix![a, i] - column[a]) <= 1e-4 * Math.Max(1, Math.Abs(column[a])),
                    $"row {a}, train {i}: {matrix[a, i]} vs {column[a]}");
        }
    }

    [Fact]
    public void RunRejectsATargetOutputListOfTheWrongLength()
    {
        var (x, y) = LogisticData.Make(N, D, seed: 8);
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter([0.1, 0.2, 0.3, 0.4], 0);
        Assert.Throws<ArgumentException>(() => TrakRunner.Run([model], new LogisticSource(x, y), new LogisticSource(x[..3], y[..3]),
            [FullImageLogOddsOutput.Instance], new TrakSettings(0, ProjectionKind.Gaussian, 0, 0, 6)));
    }

    /// <summary>Counterfactual check of the sign convention: scores correlate positively with the actual drop of the
    /// target's log-odds when each training point is left out and the model refitted exactly.</summary>
    [Fact]
    public void PositiveScoresMeanRemovalLowersTheOutput()
    {
        var (x, y) = LogisticData.Make(N, D, seed: 11);
        var (xt, yt) = LogisticData.Make(3, D, seed: 12);
        const double l2 = 0.1;
        var theta = LogisticData.FitNewton(x, y, l2);
        using var scope = torch.NewDisposeScope();
        var model = new LogisticSegmenter(theta[..D], theta[D]);
        var result = TrakRunner.Run([model], new LogisticSource(x, y), new LogisticSource(xt, yt),
            _ => FullImageLogOddsOutput.Instance, new TrakSettings(0, ProjectionKind.Gaussian, 0, 0, 8));

        for (int t = 0; t < xt.Length; t++)
        {
            var z = xt[t].Append(1.0).ToArray();
            double sign = yt[t] == 1 ? 1 : -1;
            double full = sign * LogisticData.Dot(theta, z);
            var drop = Enumerable.Range(0, N).Select(i => full - sign * LogisticData.Dot(LogisticData.FitNewton(x, y, l2, [i]), z)).ToArray();
            double correlation = Pearson(result.Scores[t].Select(s => (double)s).ToArray(), drop);
            // TRAK's kernel GᵀG is not the Hessian GᵀRG, so agreement is strong but not exact (random scores give ≈ 0).
            Assert.True(correlation > 0.6, $"target {t}: correlation of scores with leave-one-out drop {correlation:F3}");
            int top = Array.IndexOf(result.Scores[t], result.Scores[t].Max());
            Assert.True(drop[top] > 0, $"target {t}: removing the top positive influencer raised the output by {-drop[top]}");
        }
    }

    [Fact]
    public void EnsembleIsTheMeanOfTheCheckpointScores()
    {
        var (x, y) = LogisticData.Make(N, D, seed: 5);
        var (xt, yt) = LogisticData.Make(4, D, seed: 6);
        using var scope = torch.NewDisposeScope();
        var a = new LogisticSegmenter([0.5, 0.1, -0.2, 0.3], 0.0);
        var b = new LogisticSegmenter([-0.4, 0.7, 0.2, 0.0], 0.5);
        var settings = new TrakSettings(3, ProjectionKind.Rademacher, 9, 1e-3, 10);
        var train = new LogisticSource(x, y);
        var targets = new LogisticSource(xt, yt);
        var sa = TrakRunner.Run([a], train, targets, _ => FullImageLogOddsOutput.Instance, settings).Scores;
        var sb = TrakRunner.Run([b], train, targets, _ => FullImageLogOddsOutput.Instance, settings).Scores;
        var both = TrakRunner.Run([a, b], train, targets, _ => FullImageLogOddsOutput.Instance, settings).Scores;
        for (int t = 0; t < xt.Length; t++)
        for (int i = 0; i < N; i++)
            Assert.Equal((sa[t][i] + sb[t][i]) / 2, both[t][i], 1e-4f * Math.Max(1, Math.Abs(both[t][i])));
    }

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (p, q) => (p - ma) * (q - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(p => (p - ma) * (p - ma)) * b.Sum(q => (q - mb) * (q - mb)));
    }
}
