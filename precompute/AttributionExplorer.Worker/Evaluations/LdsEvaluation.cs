using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Linear datamodeling score: m random α-subsets, one model trained on each (shared by every method); per
/// target, the Spearman correlation over subsets between the sum of a method's scores over the subset and the
/// subset model's actual output f; mean ± SE over targets. Similarity methods are not additive models of influence:
/// their scores are shifted so the lowest ranked example counts 0 and unranked ones (outside the same-class pool)
/// count 0 too, i.e. "more similar training data helps". TRAK scores are used as they are.</summary>
public sealed class LdsEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.Lds);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(LdsResult r) =>
        $"{r.Subsets} subsets of {r.SubsetSize}: " + string.Join("; ", r.Methods.Select(m => $"{m.Method} ({m.TargetKind}) {m.Spearman.Mean:F3}±{m.Spearman.StandardError:F3}"));

    public static LdsResult Compute(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Lds;
        int n = data.Train.Count;
        var subsets = SubsetSampler.Sample(n, options.Alpha, options.Subsets, setup.Options.Seed);
        var targets = data.ImageTargets.Concat(data.ClassTargets).ToList();
        return EvaluationSession.Run(setup, EvaluationKinds.Lds, new
        {
            common = setup.Common, options.Subsets, options.Alpha, targets = targets.Count, similarity = "shifted to ≥ 0, unranked 0",
            classTarget = Plugins.PluginRegistry.DefaultClassTarget,
        }, session =>
        {
            var outputs = targets.Select(t => (t.ValIndex, t.ModelClass is not null ? data.ClassOutput(t) : FullImageLogOddsOutput.Instance)).ToList();
            var actual = StepProgress.Run("eval LDS", subsets.Length, report => subsets.Select((subset, j) => session.Step($"subset{j}", () =>
            {
                using var model = setup.Retrain(subset, setup.Options.Seed * 1000 + j);
                return OutputEvaluator.Values(model, data.Val, outputs);
            }).Also(_ => report(j + 1, $"subset {j + 1}/{subsets.Length}"))).ToArray());

            var methods = new List<LdsMethodResult>();
            foreach (var kind in new[] { TargetKinds.Image, TargetKinds.Class })
                foreach (var method in data.MethodsFor(kind))
                {
                    var correlations = new List<double>();
                    for (int t = 0; t < targets.Count; t++)
                    {
                        if (targets[t].Kind != kind || data.Scores(method, targets[t]) is not { } raw) continue;
                        var scores = AdditiveScores(method, raw);
                        var predicted = LinearDatamodeling.SubsetSums(subsets, i => scores[i]);
                        if (RankAgreement.Spearman(predicted, actual.Select(a => a[t]).ToArray()) is { } rho) correlations.Add(rho);
                    }
                    if (correlations.Count > 0) methods.Add(new LdsMethodResult(method, kind, MeanWithError.Of(correlations), correlations.Count));
                }
            var result = new LdsResult(subsets.Length, options.Alpha, subsets[0].Length, methods);
            return result;
        });
    }

    /// <summary>Per-example contributions summed over a subset: TRAK and random as stored; similarity scores minus
    /// the pool's minimum; unranked examples 0.</summary>
    public static double[] AdditiveScores(string method, double[] scores)
    {
        bool similarity = method is EvaluationData.Esvm or EvaluationData.Moco or EvaluationData.Clip;
        var ranked = scores.Where(v => !double.IsNaN(v)).ToArray();
        double floor = similarity && ranked.Length > 0 ? ranked.Min() : 0;
        return scores.Select(v => double.IsNaN(v) ? 0 : v - floor).ToArray();
    }
}
