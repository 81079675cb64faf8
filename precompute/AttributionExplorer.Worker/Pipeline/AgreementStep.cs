using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Rank agreement between every pair of methods for every logical target (same image, kind and class) of the
/// newest complete runs: overlap@10, overlap@50 and Spearman on the union of the top-50s, higher score first
/// (TRAK's positive direction).</summary>
public static class AgreementStep
{
    public static int Run(PipelineContext context, DatasetInfo dataset)
    {
        var compared = new[] { TargetKinds.Image, TargetKinds.Class }.ToDictionary(kind => kind, kind => Plugins.PluginRegistry.RankingMethods
            .Where(m => m.Info.Scope == Core.Plugins.RankingScope.PerTarget)
            .Select(m => context.RankingRuns.GetLatestComplete(dataset.Id, m.Info.Name, kind))
            .Where(r => r is not null).Select(r => r!).ToList());
        var upstream = compared.Values.SelectMany(runs => runs.Select(r => r.Id)).Order().ToList();
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, new AgreementParameters(10, 50), upstream, _ => Compute(context, compared));
        if (outcome.Reused) StepProgress.Skipped("rank agreement", $"run {outcome.Run.Id} over the same runs is complete");
        return outcome.Result;
    }

    private static int Compute(PipelineContext context, IReadOnlyDictionary<string, List<AttributionRun>> compared)
    {
        var clock = Stopwatch.StartNew();
        var rows = new List<RankAgreementRecord>();
        foreach (var runs in compared.Values)
        {
            if (runs.Count < 2) continue;
            var orders = runs.ToDictionary(r => r.Id, r => context.RankingRuns.GetTrainOrder(r.Id));
            var reference = orders[runs[0].Id];
            var position = reference.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            var byKey = runs.SelectMany(r => context.Scores.GetTargetsOfRun(r.Id))
                .GroupBy(t => (t.ImageId, t.CategoryCocoId));
            foreach (var group in byKey)
            {
                var targets = group.ToList();
                var scores = targets.ToDictionary(t => t.Id, t => Align(context.Scores.GetScores(t.Id), orders[t.RunId], reference, position));
                for (int a = 0; a < targets.Count; a++)
                for (int b = a + 1; b < targets.Count; b++)
                {
                    var f = RankAgreement.Compute(scores[targets[a].Id], scores[targets[b].Id]);
                    rows.Add(new RankAgreementRecord(targets[a].Id, targets[b].Id, f.OverlapAt10, f.OverlapAt50, f.SpearmanTop50Union, f.Candidates));
                }
            }
        }
        context.Agreement.Write(rows);
        context.Summary.Add(("rank agreement", $"{rows.Count} method pairs over targets", clock.Elapsed.TotalSeconds));
        return rows.Count;
    }

    /// <summary>Scores reordered to the reference training order (runs may list training images differently).</summary>
    private static float[] Align(float[] scores, IReadOnlyList<long> order, IReadOnlyList<long> reference, IReadOnlyDictionary<long, int> position)
    {
        if (order.SequenceEqual(reference)) return scores;
        var aligned = Enumerable.Repeat(float.NaN, reference.Count).ToArray();
        for (int i = 0; i < order.Count; i++)
            if (position.TryGetValue(order[i], out int p)) aligned[p] = scores[i];
        return aligned;
    }
}

/// <summary>Rank agreement between every pair of per-target methods (kind "agreement"); upstream: the compared runs.</summary>
public sealed record AgreementParameters(int OverlapAt, int UnionOfTop) : IRunParameters
{
    public string RunKind => "agreement";
}
