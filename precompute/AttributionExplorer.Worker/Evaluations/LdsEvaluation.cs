using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Linear datamodeling score: m random α-subsets, one model trained on each (shared by every method); per
/// target, the Spearman correlation over subsets between the sum of a method's scores over the subset and the
/// subset model's actual output f; mean ± SE over targets. Unranked examples (outside a similarity method's pool)
/// count 0.</summary>
public static class LdsEvaluation
{
    public static LdsResult Run(EvaluationSetup setup)
    {
        var data = setup.Data;
        var options = setup.Options.Lds;
        int n = data.Train.Count;
        var subsets = SubsetSampler.Sample(n, options.Alpha, options.Subsets, setup.Options.Seed);
        var targets = data.ImageTargets.Concat(data.ClassTargets).ToList();
        var session = new EvaluationSession(setup.Context, data.DatasetId, EvaluationKinds.Lds, new
        {
            common = setup.Common, options.Subsets, options.Alpha, targets = targets.Count,
        });
        if (session.IsComplete) return session.Results<LdsResult>();

        var outputs = targets.Select(t => (t.ValIndex, t.ModelClass is int c ? (ITargetOutput)new ClassLogOddsOutput(c) : FullImageLogOddsOutput.Instance)).ToList();
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
                    if (targets[t].Kind != kind || data.Scores(method, targets[t]) is not { } scores) continue;
                    var predicted = subsets.Select(s => s.Sum(i => double.IsNaN(scores[i]) ? 0 : scores[i])).ToArray();
                    if (RankAgreement.Spearman(predicted, actual.Select(a => a[t]).ToArray()) is { } rho) correlations.Add(rho);
                }
                if (correlations.Count > 0) methods.Add(new LdsMethodResult(method, kind, MeanWithError.Of(correlations), correlations.Count));
            }
        var result = new LdsResult(subsets.Length, options.Alpha, subsets[0].Length, methods);
        session.Complete(result);
        return result;
    }
}
