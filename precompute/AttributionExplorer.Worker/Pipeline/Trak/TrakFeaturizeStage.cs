using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Worker.Infrastructure;
using TorchSharp;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>Stage 1: projected loss gradients of a range of training images under one checkpoint, written as an artifact.</summary>
public static class TrakFeaturizeStage
{
    public const string FeaturesArtifact = "features";

    public static Core.Runs.RunRecord Run(PipelineContext context, DatasetInfo dataset, CheckpointRecord checkpoint, TrakProjection projection,
        InMemorySegmentationSource train, int start, int count)
    {
        var parameters = TrakFeaturizeParameters.For(checkpoint, projection, start, count, train.Count);
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [checkpoint.RunId], scope =>
        {
            using var model = TrainStep.Load(context, checkpoint, context.Device);
            var range = train.Select(Enumerable.Range(start, count).ToArray());
            var (features, parameterCount) = StepProgress.Run($"TRAK featurize checkpoint {checkpoint.Id} [{start}, {start + count})", count,
                report => TrakFeatures.Compute(model, range, _ => TrainLoss.Instance, projection.Settings(0, context.GradientMethod), done => report(done, null)));
            using (features)
            {
                scope.AddArtifact(context.Artifacts.Write(FeaturesArtifact, ArtifactPath(dataset, scope.RunId), temporary => ScoringMatrixFile.Save(temporary, features)));
                return new TrakFeaturizeResult((int)features.shape[0], (int)features.shape[1], parameterCount);
            }
        });
        return outcome.Run;
    }

    /// <summary>Where a featurize run's features go, relative to the data root.</summary>
    public static string ArtifactPath(DatasetInfo dataset, long runId) => Path.Combine("trak", dataset.Name, $"run{runId}-features.bin");

    /// <summary>The features of a complete featurize run, verified against their recorded SHA-256.</summary>
    public static torch.Tensor Load(PipelineContext context, Core.Runs.RunRecord run)
    {
        var result = Core.Runs.RunExecutor.ReadResult<TrakFeaturizeResult>(run);
        var artifact = context.Ledger.Artifacts(run.Id).Single(a => a.Name == FeaturesArtifact);
        string path = context.Artifacts.Verified(artifact, "rerun `precompute trak` after deleting run " + run.Id);
        return ScoringMatrixFile.Load(path, result.Rows, result.Columns, artifact.Sha256);
    }
}
