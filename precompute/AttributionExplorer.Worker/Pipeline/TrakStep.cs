using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Full-image TRAK over all held-out images against all training images, ensembled over the checkpoints,
/// written as one run that becomes visible only when complete. An identical complete run is not recomputed.</summary>
public static class TrakStep
{
    public static long Run(PipelineContext context, DatasetInfo dataset, ModelOptions model, TrakOptions trak, IReadOnlyList<CheckpointRecord> checkpoints)
    {
        if (checkpoints.Count == 0) throw new InvalidOperationException($"dataset '{dataset.Name}' has no checkpoints; run train first");
        var kind = trak.ProjectionKind.ToLowerInvariant() switch
        {
            "gaussian" => ProjectionKind.Gaussian,
            "rademacher" => ProjectionKind.Rademacher,
            _ => throw new ArgumentException($"appsettings.json: AttributionExplorer.Trak.ProjectionKind must be gaussian or rademacher, got '{trak.ProjectionKind}'"),
        };
        var dtype = ScoreCodec.Parse(trak.ScoreDtype);
        string parameters = JsonSerializer.Serialize(new
        {
            target = TargetKinds.Image, output = "mean pixel log(p/(1-p)) of the true class", trainFeatures = "grad of mean pixel cross-entropy",
            trak.ProjectionDim, projection = kind.ToString().ToLowerInvariant(), trak.ProjectionSeed, trak.Lambda, lambdaRelativeTo = "mean diag of PhiT Phi",
            scoreDtype = dtype.ToString(), ensemble = "mean over checkpoints", checkpoints = checkpoints.Select(c => new { c.Id, c.Seed }).ToArray(),
        });
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(parameters))).ToLowerInvariant();
        if (context.Attributions.FindCompleteRun(dataset.Id, hash) is { } done)
        {
            StepProgress.Skipped("TRAK (full image)", $"run {done.Id} with identical parameters is complete");
            return done.Id;
        }

        var clock = Stopwatch.StartNew();
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, model.ImageSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, model.ImageSize);
        long runId = context.Attributions.BeginRun(dataset.Id, AttributionMethods.Trak, TargetKinds.Image, parameters, hash, train.ImageIds);
        try
        {
            var networks = checkpoints.Select(c => (nn.Module<Tensor, Tensor>)CheckpointFile.Load(c.Path, model, train.NumClasses)).ToList();
            double total = checkpoints.Count * (train.Count + val.Count);
            var result = StepProgress.Run("TRAK (full image)", total, report =>
                TrakRunner.Run(networks, train, val, _ => FullImageLogOddsOutput.Instance,
                    new TrakSettings(trak.ProjectionDim, kind, trak.ProjectionSeed, trak.Lambda, trak.GradientBatchSize),
                    new SyncProgress<TrakProgress>(p => report(
                        p.Checkpoint * (train.Count + val.Count) + (p.Stage == "featurize_train" ? p.Done : train.Count + p.Done),
                        $"checkpoint {p.Checkpoint + 1}/{checkpoints.Count} {p.Stage}"))));
            foreach (var n in networks) n.Dispose();
            var rows = val.ImageIds.Select((imageId, t) => (new NewTarget(imageId, TargetKinds.Image, null, null), result.Scores[t])).ToList();
            context.Attributions.WriteScores(runId, rows, dtype);
            var timings = new Dictionary<string, double>(result.SecondsByStage) { ["total"] = clock.Elapsed.TotalSeconds };
            context.Attributions.CompleteRun(runId, JsonSerializer.Serialize(new { seconds = timings, result.ParameterCount, result.RecomputedGradients }), trak.TopK);
            context.Summary.Add(("TRAK (full image)", $"{val.Count} targets × {train.Count} train, k = {trak.ProjectionDim}, {checkpoints.Count} checkpoints, {result.RecomputedGradients} gradients recomputed", clock.Elapsed.TotalSeconds));
            return runId;
        }
        catch (Exception e)
        {
            context.Attributions.FailRun(runId, e.Message);
            throw;
        }
    }
}
