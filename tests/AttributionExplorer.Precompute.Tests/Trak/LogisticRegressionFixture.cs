using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Tests.Trak;

/// <summary>Logistic regression dressed as 2-class segmentation of a 1×1 image: logits (0, wᵀx + b), so the
/// segmentation output and loss reduce to the textbook logistic formulas.</summary>
internal sealed class LogisticSegmenter : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear linear;

    public LogisticSegmenter(double[] weights, double bias) : base(nameof(LogisticSegmenter))
    {
        linear = nn.Linear(weights.Length, 1);
        RegisterComponents();
        using var noGrad = torch.no_grad();
        linear.weight!.copy_(torch.tensor(weights.Select(w => (float)w).ToArray()).reshape(1, -1));
        linear.bias!.copy_(torch.tensor(new[] { (float)bias }));
    }

    public override Tensor forward(Tensor x)
    {
        var u = linear.forward(x);                                   // [B,1]
        return torch.cat([torch.zeros_like(u), u], 1).reshape(-1, 2, 1, 1);
    }
}

/// <summary>Logistic-regression examples as 1×1 segmentation inputs (features as the image, the label as its one pixel).</summary>
internal sealed class LogisticSource(double[][] x, int[] y) : AttributionExplorer.Precompute.Data.ISegmentationSource
{
    public int Count => x.Length;
    public IReadOnlyList<long> ImageIds => Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
    public int NumClasses => 2;
    public (Tensor Images, Tensor Labels) Load(int start, int count) => (
        torch.tensor(x.Skip(start).Take(count).SelectMany(r => r.Select(v => (float)v)).ToArray(), [count, x[0].Length]),
        torch.tensor(y.Skip(start).Take(count).Select(v => (long)v).ToArray(), [count, 1, 1]));
}

internal static class LogisticData
{
    public static (double[][] X, int[] Y) Make(int n, int d, int seed)
    {
        var random = new Random(seed);
        var x = new double[n][];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double u = 1.5 * x[i][0] - x[i][1] + 0.5 * x[i][2];
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-3 * u)) ? 1 : 0;
        }
        return (x, y);
    }

    public static double Sigmoid(double u) => 1 / (1 + Math.Exp(-u));

    /// <summary>Solves A·x = b by Gaussian elimination with partial pivoting (double precision).</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var r = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int i = c + 1; i < n; i++) if (Math.Abs(m[i, c]) > Math.Abs(m[pivot, c])) pivot = i;
            for (int j = 0; j < n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            (r[c], r[pivot]) = (r[pivot], r[c]);
            for (int i = c + 1; i < n; i++)
            {
                double f = m[i, c] / m[c, c];
                for (int j = c; j < n; j++) m[i, j] -= f * m[c, j];
                r[i] -= f * r[c];
            }
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = r[i];
            for (int j = i + 1; j < n; j++) s -= m[i, j] * x[j];
            x[i] = s / m[i, i];
        }
        return x;
    }

    /// <summary>L2-regularised logistic regression fitted by Newton's method (deterministic, to convergence).</summary>
    public static double[] FitNewton(double[][] x, int[] y, double l2, IEnumerable<int>? exclude = null)
    {
        var skip = new HashSet<int>(exclude ?? []);
        int d = x[0].Length + 1;
        var w = new double[d];
        for (int iter = 0; iter < 50; iter++)
        {
            var grad = new double[d];
            var hess = new double[d, d];
            for (int i = 0; i < x.Length; i++)
            {
                if (skip.Contains(i)) continue;
                var xi = x[i].Append(1.0).ToArray();
                double p = Sigmoid(Dot(w, xi));
                for (int a = 0; a < d; a++)
                {
                    grad[a] += (p - y[i]) * xi[a];
                    for (int b = 0; b < d; b++) hess[a, b] += p * (1 - p) * xi[a] * xi[b];
                }
            }
            for (int a = 0; a < d; a++) { grad[a] += l2 * w[a]; hess[a, a] += l2; }
            var step = Solve(hess, grad);
            for (int a = 0; a < d; a++) w[a] -= step[a];
            if (step.Max(Math.Abs) < 1e-12) break;
        }
        return w;
    }

    /// <summary>Analytic per-example log-loss gradients gᵢ = (σ(θᵀxᵢ) − yᵢ)·[xᵢ, 1] and their Gram matrix GᵀG.</summary>
    public static (double[][] Gradients, double[,] Gram) LossGradientsAndGram(double[][] x, int[] y, double[] theta)
    {
        var g = x.Select((xi, i) =>
        {
            var xa = xi.Append(1.0).ToArray();
            double r = Sigmoid(Dot(theta, xa)) - y[i];
            return xa.Select(v => r * v).ToArray();
        }).ToArray();
        int d = theta.Length;
        var gram = new double[d, d];
        foreach (var gi in g)
            for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++) gram[a, b] += gi[a] * gi[b];
        return (g, gram);
    }

    public static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
