using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Storage;
using AttributionExplorer.Storage.Repositories;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>How far one kind's sharded scores are from a reference database's (e.g. a single-process run of the same
/// inputs). Relative difference of a score: |a − b| / max(|b|, floor), floor = 1e-3 × the kind's largest |b| (so a
/// score near zero is judged against the run's scale, not against itself).</summary>
public sealed record KindComparison(string Kind, long RunId, long ReferenceRunId, bool SameIdentity, int Checkpoints, long Scores,
    double MaxRelativeDifference, double MaxAbsoluteDifference, double LargestScore, long StoredScores, long StoredDiffering, double StoredMaxRelativeDifference);

/// <summary>`trak-shard compare`: per target kind, the complete TRAK run of this database against the run with the same
/// identity in a reference database; the float32 per-checkpoint scores (the run's artifacts) and the stored (float16
/// or float32) mean scores the app shows.</summary>
public static class ShardComparison
{
    public const double FloorFraction = 1e-3;

    public static IReadOnlyList<KindComparison> Run(PipelineContext context, DatasetInfo dataset, string referenceDatabase, string referenceDataRoot)
    {
        if (!File.Exists(referenceDatabase)) throw new FileNotFoundException($"reference database {referenceDatabase} does not exist", referenceDatabase);
        var database = new SqliteDatabase(Path.GetFullPath(referenceDatabase), Path.GetFullPath(referenceDataRoot));
        var ledger = new RunLedgerRepository(database);
        var scores = new ScoreRepository(database);
        var artifacts = new ArtifactStore(referenceDataRoot);
        var referenceDataset = new DatasetRepository(database).FindByName(dataset.Name)
            ?? throw new InvalidOperationException($"reference database {referenceDatabase} has no dataset '{dataset.Name}'");
        var result = new List<KindComparison>();
        foreach (var kind in PluginRegistry.TargetKinds.Select(k => k.Info.Name))
        {
            var ranking = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, kind);
            if (ranking is null) continue;
            var run = context.Ledger.Get(ranking.Id)!;
            var reference = ledger.FindByIdentity(referenceDataset.Id, run.Identity);
            bool same = reference is not null;
            reference ??= ledger.List(referenceDataset.Id, run.Kind, RunState.Complete).FirstOrDefault(r => RunParameters.Read<TrakScoreParameters>(r).Target == kind)
                ?? throw new InvalidOperationException($"reference database {referenceDatabase} has no complete TRAK {kind} run");
            if (!reference.IsComplete) throw new InvalidOperationException($"reference TRAK {kind} run {reference.Id} is {reference.State.ToString().ToLowerInvariant()}");
            var targets = context.Scores.GetTargetsOfRun(run.Id);
            var referenceTargets = scores.GetTargetsOfRun(reference.Id);
            if (targets.Count != referenceTargets.Count)
                throw new InvalidOperationException($"TRAK {kind} run {run.Id} has {targets.Count} targets, reference run {reference.Id} has {referenceTargets.Count}");
            int trainCount = context.Scores.GetScores(targets[0].Id).Length;
            double largest = 0, maxAbs = 0;
            var pairs = new List<(float[] A, float[] B)>();
            foreach (var artifact in context.Ledger.Artifacts(run.Id).Where(a => a.Name.StartsWith("checkpoint", StringComparison.Ordinal)))
            {
                var referenceArtifact = ledger.Artifacts(reference.Id).SingleOrDefault(a => a.Name == artifact.Name)
                    ?? throw new InvalidOperationException($"reference TRAK {kind} run {reference.Id} has no {artifact.Name} scores");
                using var a = ScoringMatrixFile.Load(context.Artifacts.Verified(artifact, "rerun the merge"), targets.Count, trainCount, artifact.Sha256);
                using var b = ScoringMatrixFile.Load(artifacts.Verified(referenceArtifact, "rerun the reference"), referenceTargets.Count, trainCount, referenceArtifact.Sha256);
                pairs.Add((a.data<float>().ToArray(), b.data<float>().ToArray()));
            }
            foreach (var (a, b) in pairs) largest = Math.Max(largest, b.Max(v => Math.Abs((double)v)));
            double floor = FloorFraction * largest, maxRel = 0;
            foreach (var (a, b) in pairs)
                for (int i = 0; i < a.Length; i++)
                {
                    double d = Math.Abs((double)a[i] - b[i]);
                    maxAbs = Math.Max(maxAbs, d);
                    maxRel = Math.Max(maxRel, d / Math.Max(Math.Abs((double)b[i]), floor));
                }
            // The stored rows the app reads, matched by what they attribute.
            var byKey = referenceTargets.ToDictionary(t => (t.ImageId, t.Kind, t.CategoryCocoId, t.AnnotationId));
            long stored = 0, differing = 0;
            double storedRel = 0;
            foreach (var target in targets)
            {
                var other = byKey.GetValueOrDefault((target.ImageId, target.Kind, target.CategoryCocoId, target.AnnotationId))
                    ?? throw new InvalidOperationException($"reference TRAK {kind} run {reference.Id} has no target for image {target.ImageId} ({target.Kind} {target.CategoryCocoId} {target.AnnotationId})");
                var a = context.Scores.GetScores(target.Id);
                var b = scores.GetScores(other.Id);
                for (int i = 0; i < a.Length; i++)
                {
                    stored++;
                    if (a[i] == b[i]) continue;
                    differing++;
                    storedRel = Math.Max(storedRel, Math.Abs((double)a[i] - b[i]) / Math.Max(Math.Abs((double)b[i]), floor));
                }
            }
            result.Add(new KindComparison(kind, run.Id, reference.Id, same, pairs.Count, pairs.Sum(p => (long)p.A.Length), maxRel, maxAbs, largest, stored, differing, storedRel));
        }
        if (result.Count == 0) throw new InvalidOperationException($"dataset '{dataset.Name}' has no complete TRAK run to compare");
        return result;
    }
}
