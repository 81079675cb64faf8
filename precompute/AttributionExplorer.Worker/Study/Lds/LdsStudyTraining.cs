using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>A complete training run of the ensemble and the epochs it kept, in order (the last is the final model).</summary>
public sealed record EnsembleRun(RunRecord Run, int Seed, int[] Epochs);

/// <summary>The models the study trains, each a ledger run with its weights as artifacts: the ensemble (seeds 0…M−1,
/// the last T epochs of each) and one model per α-subset (seed subsetSeed·1000 + j, as `eval lds` seeds them, or
/// subsetSeed·1000 for every subset with --same-seed: the same initialization and shuffling seed, so the seed's share of
/// the differences between subset models is common to all of them).</summary>
public static class LdsStudyTraining
{
    public static IReadOnlyList<EnsembleRun> Ensemble(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training,
        int classes, int models, int trajectory, InMemorySegmentationSource train, InMemorySegmentationSource val, Action<string> log)
    {
        var result = new List<EnsembleRun>();
        for (int seed = 0; seed < models; seed++)
        {
            var parameters = new LdsStudyTrainParameters(TrainRunParameters.Of(model, training, seed, classes), trajectory);
            var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
            {
                var clock = Stopwatch.StartNew();
                var checkpoints = TrajectoryTrainer.Train(train, model, training, seed, trajectory, context.Device);
                var epochs = Enumerable.Range(training.Epochs - trajectory + 1, trajectory).ToArray();
                for (int i = 0; i < checkpoints.Count; i++)
                {
                    var checkpoint = checkpoints[i];
                    scope.AddArtifact(context.Artifacts.Write(EpochArtifact(epochs[i]),
                        Path.Combine("studies", "lds", dataset.Name, $"run{scope.RunId}-seed{seed}-epoch{epochs[i]}.bin"), path => CheckpointFile.Save(checkpoint, path)));
                }
                double miou = SegmentationPredictor.Evaluate(checkpoints[^1], val);
                foreach (var c in checkpoints) c.Dispose();
                return new LdsStudyTrainResult(epochs, miou, clock.Elapsed.TotalSeconds);
            });
            log($"ensemble run {seed + 1}/{models} (seed {seed}): {(outcome.Reused ? "reused" : "trained")} run {outcome.Run.Id}, " +
                $"epochs {string.Join(",", outcome.Result.Epochs)}, held-out mIoU {outcome.Result.ValMeanIou:F3}, {outcome.Result.Seconds:0}s");
            result.Add(new EnsembleRun(outcome.Run, seed, outcome.Result.Epochs));
        }
        return result;
    }

    /// <summary>Seed offset of a subset's replicate: the same subset retrained under another seed, to measure how much
    /// of a subset model's output is training noise (the ceiling any attribution's LDS can reach).</summary>
    public const int ReplicateSeedOffset = 500_000;

    public static IReadOnlyList<RunRecord> Subsets(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrainingOptions training,
        int classes, IReadOnlyList<int[]> subsets, double alpha, int subsetSeed, InMemorySegmentationSource train, Action<string> log,
        int seedOffset = 0, bool sameSeed = false)
    {
        var result = new List<RunRecord>();
        string what = seedOffset == 0 ? "subset model" : "replicate subset model";
        for (int j = 0; j < subsets.Count; j++)
        {
            int seed = subsetSeed * 1000 + (sameSeed ? 0 : j) + seedOffset;
            var keep = subsets[j];
            var parameters = new LdsStudySubsetParameters(TrainRunParameters.Of(model, training, seed, classes), alpha, subsetSeed, j, keep);
            var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
            {
                var clock = Stopwatch.StartNew();
                using var network = SubsetTrainer.Train(train, keep, model, training, seed, context.Device);
                scope.AddArtifact(context.Artifacts.Write(ModelArtifact,
                    Path.Combine("studies", "lds", dataset.Name, $"subset-run{scope.RunId}.bin"), path => CheckpointFile.Save(network, path)));
                return new LdsStudySubsetResult(clock.Elapsed.TotalSeconds);
            });
            log($"{what} {j + 1}/{subsets.Count}: {(outcome.Reused ? "reused" : "trained")} run {outcome.Run.Id}, {outcome.Result.Seconds:0}s");
            result.Add(outcome.Run);
        }
        return result;
    }

    public const string ModelArtifact = "model";

    public static string EpochArtifact(int epoch) => $"epoch{epoch}";

    /// <summary>A stored model, verified against the SHA-256 its run recorded.</summary>
    public static DeepLabV3 Load(PipelineContext context, RunRecord run, string artifactName, ModelOptions model, int classes)
    {
        var artifact = context.Ledger.Artifacts(run.Id).FirstOrDefault(a => a.Name == artifactName)
            ?? throw new InvalidDataException($"run {run.Id} ({run.Kind}) has no artifact '{artifactName}'");
        var network = CheckpointFile.Load(context.Artifacts.Verified(artifact, "delete the run and rerun `precompute study lds`"), model, classes, context.Device);
        network.eval();
        return network;
    }
}
