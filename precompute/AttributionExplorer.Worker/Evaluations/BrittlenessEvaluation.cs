using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Data brittleness (seed 001, Algorithm 1): the smallest number of a method's top-ranked training images
/// whose removal breaks a class target, by bisection with a retraining budget. For segmentation a target "breaks"
/// when its output f (mean log-odds of the correct binary answer "is this pixel the class", over the pixels the class
/// kind's definition names) falls below zero, averaged over the retrains of a step: the model then gets the class task
/// wrong on average over those pixels. Targets are chosen
/// at random among those the full-data model gets right (f &gt; 0).</summary>
public sealed class BrittlenessEvaluation : Plugins.IEvaluation
{
    public Core.Plugins.EvaluationKindInfo Info { get; } = Core.Plugins.BuiltInPlugins.Evaluations.Single(e => e.Name == EvaluationKinds.Brittleness);

    public string Run(EvaluationSetup setup) => Describe(Compute(setup));

    private static string Describe(BrittlenessResult r) =>
        string.Join("; ", r.Targets.Select(t => $"{t.Method} {t.ImageId}/{t.CategoryCocoId}: {(t.Smallest is { } s ? s.ToString() : $">{r.MaxSupport}")}"));

    public const string BreakRule = "f < 0: mean log-odds of the correct answer to \"is this pixel the class\" below zero (mean over the step's retrains)";

    public static BrittlenessResult Compute(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Brittleness;
        int n = data.Train.Count;
        int maxSupport = Math.Max(1, (int)Math.Round(options.MaxSupportPercent / 100.0 * n));
        var methods = options.Methods.Where(m => data.MethodsFor(Core.Domain.TargetKinds.Class).Contains(m)).ToArray();
        return EvaluationSession.Run(setup, EvaluationKinds.Brittleness, new
        {
            common = setup.Common, options.Targets, options.Budget, options.RetrainsPerStep, options.MaxSupportPercent, maxSupport, methods,
            classTarget = Plugins.PluginRegistry.DefaultClassTarget,
        }, session =>
        {
            var outputs = data.ClassTargets.Select(t => (t.ValIndex, data.ClassOutput(t))).ToList();
            int total = 1 + options.Targets * methods.Length * options.Budget * options.RetrainsPerStep;
            var found = StepProgress.Run("eval brittleness", total, report =>
            {
                int done = 0;
                var full = session.Step($"full:s{setup.Options.Seed}", () =>
                {
                    using var model = setup.Retrain(Enumerable.Range(0, n).ToArray(), setup.Options.Seed);
                    return OutputEvaluator.Values(model, data.Val, outputs);
                });
                report(++done, "full data");
                var indexOf = data.ClassTargets.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
                var correct = data.ClassTargets.Where(t => full[indexOf[t]] > 0).ToList();
                var chosen = CounterfactualEvaluation.Choose(correct, options.Targets, setup.Options.Seed);
                var list = new List<BrittlenessTarget>();
                foreach (var target in chosen)
                {
                    int index = indexOf[target];
                    foreach (var method in methods)
                    {
                        if (data.Scores(method, target) is not { } scores) continue;
                        var search = BisectionSearch.Run(maxSupport, options.Budget, support =>
                        {
                            var keep = SubsetTrainer.Without(n, EvaluationData.Top(scores, support));
                            var values = Enumerable.Range(0, options.RetrainsPerStep).Select(r => session.Step($"{method}:{target.Key}:k{support}:r{r}", () =>
                            {
                                using var model = setup.Retrain(keep, setup.Options.Seed + r);
                                return OutputEvaluator.Values(model, data.Val, [outputs[index]])[0];
                            }).Also(_ => report(++done, $"{method}, target {target.Key}, without top {support}"))).ToArray();
                            return values.Average() < 0;
                        });
                        list.Add(new BrittlenessTarget(target.ImageId, target.CategoryCocoId!.Value, method, full[index], search.Smallest, search.LowerBound, search.Steps));
                    }
                }
                return list;
            });
            var result = new BrittlenessResult(options.Budget, options.RetrainsPerStep, maxSupport, BreakRule, found);
            return result;
        });
    }
}
