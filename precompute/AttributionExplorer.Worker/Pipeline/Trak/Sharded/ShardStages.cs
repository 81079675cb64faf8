using System.Text.Json;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline.Trak.Sharded;

/// <summary>The three distributable stages. Each shard reads the plan, the input snapshot and the manifests of the
/// stage before it, writes its files into shared/STAGE/shard-i-of-N/ and its manifest last; it never opens the
/// database. A shard whose manifest verifies is skipped; any other state (no manifest, a file missing, truncated or
/// changed, a manifest of an older plan) redoes the whole shard.</summary>
public static class ShardStages
{
    public const string Featurize = "featurize";
    public const string Finalize = "finalize";
    public const string Score = "score";
    public static readonly IReadOnlyList<string> All = [Featurize, Finalize, Score];

    public static string FeaturesFile(long checkpointId, FeaturizeRange range) => $"c{checkpointId}-r{range.Key}.features.bin";
    public static string FeaturizeUnit(long checkpointId, FeaturizeRange range) => $"c{checkpointId}-r{range.Key}";
    public static string ScoringFile(long checkpointId) => $"c{checkpointId}.scoring.bin";
    public static string FinalizeUnit(long checkpointId) => $"c{checkpointId}";
    public static string ScoresFile(string kind, long checkpointId, (int Start, int Count) targets) => $"{kind}-c{checkpointId}-t{targets.Start}-{targets.Count}.scores.bin";

    /// <summary>Runs one shard of <paramref name="stage"/> unless it already finished; returns what it did.</summary>
    public static string Run(string stage, string dir, ShardSpec shard, AppOptions options)
    {
        var (plan, planSha) = ShardPlan.Load(dir);
        if (ShardManifest.Verify(dir, stage, shard, planSha, out string problem) is not null)
        {
            string done = $"{stage} shard {shard}: finished earlier, its manifest verifies; skipped";
            StepProgress.Skipped($"trak-shard {stage} {shard}", "its manifest verifies");
            return done;
        }
        string folder = ShardManifest.Folder(dir, stage, shard);
        string manifestPath = Path.Combine(folder, ShardManifest.FileName);
        if (File.Exists(manifestPath))
        {
            Console.WriteLine($"{stage} shard {shard}: redoing it ({problem})");
            File.Delete(manifestPath);
        }
        Directory.CreateDirectory(folder);
        var device = Precompute.Training.ComputeDevice.Resolve(options.Device);
        var gradients = TrakProjection.ParseGradients(options.Trak.GradientMethod);
        var files = new List<ShardFile>();
        var results = new Dictionary<string, string>();
        string did = stage switch
        {
            Featurize => RunFeaturize(plan, dir, shard, folder, device, gradients, files, results),
            Finalize => RunFinalize(plan, planSha, dir, shard, folder, files, results),
            Score => RunScore(plan, planSha, dir, shard, folder, device, gradients, files),
            _ => throw new ArgumentException($"unknown stage '{stage}': expected {string.Join(", ", All)}"),
        };
        new ShardManifest(stage, shard.Index, shard.Count, planSha, files, results, DateTime.UtcNow).Write(dir);
        return $"{stage} shard {shard}: {did}";
    }

    private static string RunFeaturize(ShardPlan plan, string dir, ShardSpec shard, string folder, Device device, GradientMethod gradients,
        List<ShardFile> files, Dictionary<string, string> results)
    {
        var units = shard.Take(plan.FeaturizeUnits);
        var settings = plan.Projection.Settings(0, gradients);
        foreach (var range in units.Select(u => u.Range).Distinct())
        {
            var examples = SharedInputs.ReadExamples(plan, dir, SharedInputs.TrainPrefix(range), plan.TrainImageIds.Skip(range.Start).Take(range.Count).ToList());
            foreach (var (checkpoint, _) in units.Where(u => u.Range == range))
            {
                using var scope = torch.NewDisposeScope();
                using var model = SharedInputs.LoadCheckpoint(plan, dir, checkpoint, device);
                var (features, parameterCount) = StepProgress.Run($"TRAK featurize checkpoint {checkpoint.Id} [{range.Start}, {range.Start + range.Count}) (shard {shard})", range.Count,
                    report => TrakFeatures.Compute(model, examples, _ => TrainLoss.Instance, settings, done => report(done, null)));
                files.Add(ShardFiles.Write(folder, FeaturesFile(checkpoint.Id, range), temporary => ScoringMatrixFile.Save(temporary, features)));
                results[FeaturizeUnit(checkpoint.Id, range)] = JsonSerializer.Serialize(new TrakFeaturizeResult((int)features.shape[0], (int)features.shape[1], parameterCount));
            }
        }
        return $"{units.Count} of {plan.FeaturizeUnits.Count} (checkpoint, range) units";
    }

    private static string RunFinalize(ShardPlan plan, string planSha, string dir, ShardSpec shard, string folder,
        List<ShardFile> files, Dictionary<string, string> results)
    {
        var checkpoints = shard.Take(plan.Checkpoints);
        if (checkpoints.Count == 0) return "no checkpoint falls to this shard";
        var featurized = StageOutputs.Read(dir, Featurize, planSha);
        foreach (var checkpoint in checkpoints)
        {
            using var scope = torch.NewDisposeScope();
            var ranges = plan.Ranges.Select(range =>
            {
                string unit = FeaturizeUnit(checkpoint.Id, range);
                var result = JsonSerializer.Deserialize<TrakFeaturizeResult>(featurized.Result(unit))!;
                return (Result: result, Features: featurized.Matrix(FeaturesFile(checkpoint.Id, range), unit, result.Rows, result.Columns));
            }).ToList();
            var phi = torch.cat(ranges.Select(r => r.Features).ToList(), 0);
            var scoring = TrakScorer.ScoringMatrix(phi, plan.Trak.Lambda);
            var spectrum = TrakFinalizeStage.Spectrum(phi, plan.Trak.Lambda) with { ParameterCount = ranges[0].Result.ParameterCount };
            files.Add(ShardFiles.Write(folder, ScoringFile(checkpoint.Id), temporary => ScoringMatrixFile.Save(temporary, scoring)));
            results[FinalizeUnit(checkpoint.Id)] = JsonSerializer.Serialize(spectrum);
            Console.WriteLine($"finalize checkpoint {checkpoint.Id} (shard {shard}): n = {spectrum.TrainImages}, k = {spectrum.ProjectionDim}, rank {spectrum.Rank}");
        }
        return $"{checkpoints.Count} of {plan.Checkpoints.Count} checkpoints";
    }

    private static string RunScore(ShardPlan plan, string planSha, string dir, ShardSpec shard, string folder, Device device, GradientMethod gradients,
        List<ShardFile> files)
    {
        var finalized = StageOutputs.Read(dir, Finalize, planSha);
        var val = SharedInputs.ReadExamples(plan, dir, SharedInputs.ValPrefix, plan.ValImageIds);
        var planning = SharedInputs.ReadPlanningInputs(plan, dir);
        var settings = plan.Projection.Settings(plan.Trak.Lambda, gradients);
        var plans = plan.Kinds.Select(k => (Kind: k, Range: shard.TargetRange(k.Targets, plan.Trak.GradientBatchSize))).Where(k => k.Range.Count > 0)
            .Select(k => (k.Kind, k.Range, Targets: SharedInputs.PlanTargets(plan, dir, planning, val, SharedInputs.Kind(k.Kind.Name)))).ToList();
        try
        {
            int n = plan.TrainImageIds.Count;
            foreach (var checkpoint in plan.Checkpoints)
            {
                if (plans.Count == 0) break;
                using var scope = torch.NewDisposeScope();
                var spectrum = JsonSerializer.Deserialize<TrakFinalizeResult>(finalized.Result(FinalizeUnit(checkpoint.Id)))!;
                var scoring = finalized.Matrix(ScoringFile(checkpoint.Id), FinalizeUnit(checkpoint.Id), spectrum.ProjectionDim, n);
                using var model = SharedInputs.LoadCheckpoint(plan, dir, checkpoint, device);
                foreach (var (kind, range, targets) in plans)
                {
                    using var inner = torch.NewDisposeScope();
                    var indices = Enumerable.Range(range.Start, range.Count).ToList();
                    var source = val.Select(indices.Select(t => targets.Targets[t].ExampleIndex).ToArray());
                    var (psi, _) = StepProgress.Run($"TRAK {kind.Name} targets [{range.Start}, {range.Start + range.Count}), checkpoint {checkpoint.Id} (shard {shard})", range.Count,
                        report => TrakFeatures.Compute(model, source, t => targets.Targets[range.Start + t].Output, settings, done => report(done, null)));
                    var scores = TrakScorer.Score(psi, scoring.to(psi.device)).cpu();
                    files.Add(ShardFiles.Write(folder, ScoresFile(kind.Name, checkpoint.Id, range), temporary => ScoringMatrixFile.Save(temporary, scores)));
                }
            }
            return string.Join(", ", plans.Select(p => $"{p.Kind.Name} targets [{p.Range.Start}, {p.Range.Start + p.Range.Count}) of {p.Kind.Targets}")) is { Length: > 0 } s
                ? $"{s} × {plan.Checkpoints.Count} checkpoints" : "no targets fall to this shard";
        }
        finally
        {
            foreach (var p in plans) p.Targets.Dispose();
        }
    }
}
