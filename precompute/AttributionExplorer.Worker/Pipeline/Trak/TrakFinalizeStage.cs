using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>Stage 2: one checkpoint's features (all ranges, in order) → kernel → scoring matrix artifact, with the
/// kernel's spectrum recorded so the regime (n/k, condition, λ against the smallest eigenvalue) can be judged.</summary>
public static class TrakFinalizeStage
{
    public const string ScoringArtifact = "scoring";

    public static RunRecord Run(PipelineContext context, DatasetInfo dataset, CheckpointRecord checkpoint, TrakProjection projection,
        double lambda, IReadOnlyList<RunRecord> featureRanges)
    {
        var parameters = TrakFinalizeParameters.For(checkpoint, projection, lambda);
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, featureRanges.Select(r => r.Id).ToList(), scope =>
        {
            using var outer = torch.NewDisposeScope();
            var phi = torch.cat(featureRanges.Select(r => TrakFeaturizeStage.Load(context, r)).ToList(), 0);
            var scoring = TrakScorer.ScoringMatrix(phi, lambda);
            var spectrum = Spectrum(phi, lambda);
            scope.AddArtifact(context.Artifacts.Write(ScoringArtifact, ArtifactPath(dataset, scope.RunId, checkpoint.Id),
                temporary => ScoringMatrixFile.Save(temporary, scoring)));
            long parameterCount = featureRanges.Select(RunExecutor.ReadResult<TrakFeaturizeResult>).First().ParameterCount;
            return spectrum with { ParameterCount = parameterCount };
        }).Run;
    }

    /// <summary>Where a finalize run's scoring matrix goes, relative to the data root.</summary>
    public static string ArtifactPath(DatasetInfo dataset, long runId, long checkpointId) =>
        Path.Combine("trak", dataset.Name, $"run{runId}-checkpoint{checkpointId}.scoring.bin");

    internal static TrakFinalizeResult Spectrum(Tensor phi, double lambda)
    {
        using var scope = torch.NewDisposeScope();
        var phi64 = phi.to(ScalarType.Float64);
        var gram = phi64.t().matmul(phi64);
        var eigenvalues = torch.linalg.eigvalsh(gram);
        double largest = eigenvalues.max().item<double>();
        double smallest = eigenvalues.min().item<double>();
        double ridge = lambda * gram.diagonal().mean().item<double>();
        int rank = (int)eigenvalues.gt(largest * 1e-10).sum().item<long>();
        int belowRidge = (int)eigenvalues.lt(ridge).sum().item<long>();
        return new TrakFinalizeResult((int)phi.shape[0], (int)phi.shape[1], ridge, smallest, largest, rank, 0, belowRidge);
    }

    /// <summary>Where a finalize run's scoring matrix is, as the record an image run keeps for on-demand targets
    /// (the file verified against its recorded SHA-256).</summary>
    public static ScoringMatrixRecord ScoringRecord(PipelineContext context, RunRecord run, long targetRunId, int position, long checkpointId)
    {
        var artifact = context.Ledger.Artifacts(run.Id).Single(a => a.Name == ScoringArtifact);
        var result = RunExecutor.ReadResult<TrakFinalizeResult>(run);
        string path = context.Artifacts.Verified(artifact, "rerun `precompute trak` after deleting run " + run.Id);
        return new ScoringMatrixRecord(targetRunId, position, checkpointId, result.ProjectionDim, result.TrainImages, path, artifact.Sha256);
    }

    public static Tensor LoadScoring(PipelineContext context, RunRecord run, long checkpointId)
    {
        var record = ScoringRecord(context, run, 0, 0, checkpointId);
        return ScoringMatrixFile.Load(record.Path, record.Rows, record.Cols, record.Sha256);
    }
}
