using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Similarity;

/// <summary>Many Exemplar-SVMs at once: problem b has one positive (query b) and the shared negatives. Each solves
/// min ½‖[w;β]‖² + C Σᵢ cᵢ max(0, 1 − yᵢ(w·xᵢ + β))² with balanced weights c₊ = (n+1)/2, c₋ = (n+1)/(2n), by
/// Newton's method on the generalized Hessian I + 2C Σ_active cᵢ x̃ᵢx̃ᵢᵀ (x̃ = [x; 1]), batched over problems, with
/// per-problem backtracking. Float64 throughout.</summary>
public static class ExemplarSvm
{
    private const long ChunkBytes = 256L << 20;

    /// <returns>W [B,d] and bias [B] (float64), in the space the inputs are given in after optional row normalization.</returns>
    public static (Tensor W, Tensor Bias) Fit(Tensor queries, Tensor negatives, EsvmSettings settings)
    {
        if (queries.dim() != 2 || negatives.dim() != 2 || queries.shape[1] != negatives.shape[1])
            throw new ArgumentException($"queries [B,d] and negatives [n,d] must share d; got [{string.Join(",", queries.shape)}] and [{string.Join(",", negatives.shape)}]");
        if (negatives.shape[0] < 1) throw new ArgumentException("an Exemplar-SVM needs at least one negative");
        if (settings.C <= 0) throw new ArgumentException($"C must be > 0, got {settings.C}");
        using var scope = torch.NewDisposeScope();
        var q = Prepare(queries, settings);
        var x = Prepare(negatives, settings);
        long n = x.shape[0], d = x.shape[1];
        long chunk = Math.Max(1, ChunkBytes / (8 * n * (d + 1)));
        var ws = new List<Tensor>();
        for (long start = 0; start < q.shape[0]; start += chunk)
            ws.Add(SolveChunk(q.narrow(0, start, Math.Min(chunk, q.shape[0] - start)), x, settings));
        var v = torch.cat(ws, 0);
        return (v[.., ..(int)d].MoveToOuterDisposeScope(), v[.., (int)d].MoveToOuterDisposeScope());
    }

    /// <summary>Decision values [B,n] of each problem's SVM on the negatives (normalized like in <see cref="Fit"/>).</summary>
    public static Tensor DecisionValues(Tensor w, Tensor bias, Tensor negatives, EsvmSettings settings)
    {
        using var scope = torch.NewDisposeScope();
        return Prepare(negatives, settings).matmul(w.t()).t().add(bias.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    private static Tensor Prepare(Tensor rows, EsvmSettings settings)
    {
        var r = rows.to(ScalarType.Float64);
        if (!r.isfinite().all().item<bool>()) throw new ArgumentException("embeddings contain non-finite values");
        return settings.L2NormalizeRows ? r / r.norm(1, keepdim: true).clamp_min(1e-12) : r;
    }

    private static Tensor SolveChunk(Tensor q, Tensor x, EsvmSettings s)
    {
        using var scope = torch.NewDisposeScope();
        long b = q.shape[0], n = x.shape[0], d1 = x.shape[1] + 1;
        var xt = torch.cat([x, torch.ones(n, 1, dtype: ScalarType.Float64)], 1);              // [n, d+1]
        var qt = torch.cat([q, torch.ones(b, 1, dtype: ScalarType.Float64)], 1);              // [B, d+1]
        double cPos = s.C * (n + 1) / 2.0, cNeg = s.C * (n + 1) / (2.0 * n);
        var eye = torch.eye(d1, dtype: ScalarType.Float64);
        var v = torch.zeros(b, d1, dtype: ScalarType.Float64);

        (Tensor F, Tensor G, Tensor NegActive, Tensor PosActive) Evaluate(Tensor v)
        {
            var slackNeg = (1 + v.matmul(xt.t())).clamp_min(0);                                  // [B,n]: 1 − y·f with y = −1
            var slackPos = (1 - (v * qt).sum(1)).clamp_min(0);                                  // [B]
            var f = 0.5 * v.pow(2).sum(1) + cNeg * slackNeg.pow(2).sum(1) + cPos * slackPos.pow(2);
            var g = v + 2 * cNeg * slackNeg.matmul(xt) - 2 * cPos * slackPos.unsqueeze(1) * qt;
            return (f, g, slackNeg.gt(0).to(ScalarType.Float64), slackPos.gt(0).to(ScalarType.Float64));
        }

        var (f, g, negActive, posActive) = Evaluate(v);
        var g0 = g.norm(1);
        for (int iteration = 0; ; iteration++)
        {
            var done = g.norm(1).le(g0 * s.Tolerance);
            if (done.all().item<bool>()) break;
            if (iteration == s.MaxIterations)
                throw new InvalidOperationException($"Exemplar-SVM did not converge in {s.MaxIterations} Newton iterations ({(~done).sum().item<long>()} of {b} problems left)");
            var hessian = eye + 2 * cNeg * xt.t().matmul(negActive.unsqueeze(2) * xt.unsqueeze(0))
                          + 2 * cPos * (posActive.view(-1, 1, 1) * qt.unsqueeze(2) * qt.unsqueeze(1));
            var step = -torch.linalg.solve(hessian, g.unsqueeze(2)).squeeze(2);
            step = step * (~done).to(ScalarType.Float64).unsqueeze(1);
            // Backtracking per problem (Armijo): halve the step where the objective does not fall enough.
            var t = torch.ones(b, dtype: ScalarType.Float64);
            var slope = (g * step).sum(1);
            for (int k = 0; k < 60; k++)
            {
                var trial = Evaluate(v + t.unsqueeze(1) * step);
                var ok = trial.F.le(f + 1e-4 * t * slope).logical_or(done);
                if (ok.all().item<bool>() || k == 59)
                {
                    v = v + t.unsqueeze(1) * step;
                    (f, g, negActive, posActive) = trial;
                    break;
                }
                t = torch.where(ok, t, t * 0.5);
            }
        }
        return v.MoveToOuterDisposeScope();
    }
}
