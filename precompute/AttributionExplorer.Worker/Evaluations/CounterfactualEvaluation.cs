using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Counterfactual removal (seed 000): for N class targets chosen at random, remove each method's top-k
/// training images, retrain with each seed, and report the mean increase of the target's loss (binary cross-entropy of
/// "is this pixel the class") over the full-data model of the same seed. A better attribution raises it more.</summary>
public sealed class CounterfactualEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.Counterfactual);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(CounterfactualResult r) =>
        $"{r.Targets} targets × {r.Seeds} seeds, base loss {r.BaselineLoss.Mean:F3}: " +
        string.Join("; ", r.Cells.Select(c => $"{c.Method} −{c.Removed}: {c.LossIncrease.Mean:+0.000;-0.000}±{c.LossIncrease.StandardError:F3}"));

    public const string LossDescription = "class target loss: mean binary cross-entropy of \"is this pixel the class\" over the image";

    public static CounterfactualResult Compute(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Counterfactual;
        int n = data.Train.Count;
        var targets = Choose(data.ClassTargets, options.Targets, setup.Options.Seed);
        var methods = data.MethodsFor(TargetKinds.Class);
        var removals = options.RemovePercents.Select(p => Math.Max(1, (int)Math.Round(p / 100.0 * n))).Distinct().ToArray();
        return EvaluationSession.Run(setup, EvaluationKinds.Counterfactual, new
        {
            common = setup.Common, options.Seeds, options.RemovePercents, removals, methods, targets = targets.Select(t => t.Key),
        }, session =>
        {
            var losses = targets.Select(t => (t.ValIndex, (ITargetOutput)new ClassBinaryLoss(t.ModelClass!.Value))).ToList();
            int total = options.Seeds.Length * (1 + targets.Count * methods.Count * removals.Length);
            var cells = StepProgress.Run("eval counterfactual", total, report =>
            {
                int done = 0;
                var baseline = options.Seeds.ToDictionary(seed => seed, seed => session.Step($"full:s{seed}", () =>
                {
                    using var model = setup.Retrain(Enumerable.Range(0, n).ToArray(), seed);
                    return OutputEvaluator.Values(model, data.Val, losses);
                }).Also(_ => report(++done, $"full data, seed {seed}")));
                var list = new List<CounterfactualCell>();
                foreach (var method in methods)
                    foreach (int k in removals)
                    {
                        var increases = new List<double>();
                        for (int t = 0; t < targets.Count; t++)
                        {
                            if (data.Scores(method, targets[t]) is not { } scores) { done += options.Seeds.Length; continue; }
                            var keep = SubsetTrainer.Without(n, EvaluationData.Top(scores, k));
                            foreach (int seed in options.Seeds)
                            {
                                double loss = session.Step($"{method}:{targets[t].Key}:k{k}:s{seed}", () =>
                                {
                                    using var model = setup.Retrain(keep, seed);
                                    return OutputEvaluator.Values(model, data.Val, [losses[t]])[0];
                                });
                                increases.Add(loss - baseline[seed][t]);
                                report(++done, $"{method}, top {k} removed, target {t + 1}/{targets.Count}, seed {seed}");
                            }
                        }
                        list.Add(new CounterfactualCell(method, k, MeanWithError.Of(increases)));
                    }
                return (list, MeanWithError.Of(baseline.Values.SelectMany(v => v).ToArray()));
            });
            var result = new CounterfactualResult(targets.Count, options.Seeds.Length, LossDescription, cells.Item2, cells.list);
            return result;
        });
    }

    /// <summary>A seeded random choice of targets, in a stable order.</summary>
    public static IReadOnlyList<EvalTarget> Choose(IReadOnlyList<EvalTarget> targets, int count, int seed)
    {
        if (targets.Count == 0) throw new InvalidOperationException("no class targets: run TRAK (class targets) first");
        var shuffled = targets.ToArray();
        new Random(seed).Shuffle(shuffled);
        return shuffled.Take(Math.Min(count, shuffled.Length)).ToList();
    }
}
