using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>The planned targets of one kind and the training runs its definition depends on (predicted pixels: the
/// ensemble whose predictions chose the pixels).</summary>
public sealed record KindTargets(string Kind, string Output, TargetPlan Plan, long[] PredictionRunIds);

/// <summary>TRAK scores of every planned kind under every checkpoint of the ensemble: per checkpoint a kernel run
/// (train features → scoring matrix) and a score run per kind, each reused when complete.</summary>
public static class LdsStudyTrak
{
    public const string ScoringArtifact = "scoring", ScoresArtifact = "scores";

    /// <summary>Train features from the full-image margin instead of the loss (<see cref="LdsStudyKernelParameters.TrainFeatures"/>).</summary>
    public const string MarginFeatures = "margin";

    /// <returns>[ensemble run][kept epoch][kind] → scores [targets][train].</returns>
    public static float[][][][][] Scores(PipelineContext context, DatasetInfo dataset, IReadOnlyList<EnsembleRun> runs, IReadOnlyList<KindTargets> kinds,
        ModelOptions model, int classes, TrakProjection projection, double lambda, int threads, InMemorySegmentationSource train,
        InMemorySegmentationSource val, Action<string> log, string? trainFeatures = null)
    {
        var settings = projection.Settings(lambda, context.GradientMethod) with { Threads = threads };
        int n = train.Count;
        var result = new float[runs.Count][][][][];
        int done = 0, total = runs.Sum(r => r.Epochs.Length);
        for (int r = 0; r < runs.Count; r++)
        {
            result[r] = new float[runs[r].Epochs.Length][][][];
            for (int e = 0; e < runs[r].Epochs.Length; e++)
            {
                var clock = Stopwatch.StartNew();
                int epoch = runs[r].Epochs[e];
                var kernel = context.Runs.Ensure(dataset.Id, dataset.Version, new LdsStudyKernelParameters(runs[r].Run.Id, epoch, projection, lambda, trainFeatures), [runs[r].Run.Id]);
                var scoreRuns = kinds.Select(k => context.Runs.Ensure(dataset.Id, dataset.Version,
                    new LdsStudyScoreParameters(kernel.Id, k.Kind, k.Output, k.Plan.Targets.Count, k.PredictionRunIds), [kernel.Id, .. k.PredictionRunIds])).ToList();
                bool computed = !(kernel.IsComplete && scoreRuns.All(s => s.IsComplete));
                if (computed)
                {
                    using var scope = torch.NewDisposeScope();
                    using var network = LdsStudyTraining.Load(context, runs[r].Run, LdsStudyTraining.EpochArtifact(epoch), model, classes);
                    var kernelOutcome = context.Runs.Execute(kernel, s =>
                    {
                        using var inner = torch.NewDisposeScope();
                        var watch = Stopwatch.StartNew();
                        bool margin = trainFeatures == MarginFeatures;
                        var (phi, _) = TrakFeatures.Compute(network, train, _ => margin ? FullImageLogOddsOutput.Instance : TrainLoss.Instance, settings, null);
                        var spectrum = KernelSpectrum.Of(phi, lambda);
                        var scoring = TrakScorer.ScoringMatrix(phi, lambda);
                        // Scores are −Ψ·scoring; the loss gradient is −Q·∇f, so margin features score with −Q.
                        if (margin) scoring = scoring.mul(torch.tensor(OutToLoss.Compute(network, train)).to(scoring.dtype).neg().unsqueeze(0));
                        s.AddArtifact(Write(context, dataset, s.RunId, ScoringArtifact, scoring));
                        return new LdsStudyKernelResult(spectrum, watch.Elapsed.TotalSeconds);
                    });
                    var sp = kernelOutcome.Result.Spectrum;
                    foreach (var warning in Core.LabelErrors.KernelRegime.Warnings(sp.N, sp.K, sp.MinEigenvalue, sp.MaxEigenvalue, sp.Ridge, sp.EigenvaluesBelowRidge))
                        log($"WARNING degenerate regime, run {runs[r].Seed} epoch {epoch}: {warning}");
                    var scoringMatrix = Read(context, kernelOutcome.Run, ScoringArtifact, projection.ProjectionDim, n);
                    for (int k = 0; k < kinds.Count; k++)
                    {
                        var kind = kinds[k];
                        context.Runs.Execute(scoreRuns[k], s =>
                        {
                            using var inner = torch.NewDisposeScope();
                            var watch = Stopwatch.StartNew();
                            var source = val.Select(kind.Plan.Targets.Select(t => t.ExampleIndex).ToArray());
                            var (psi, _) = TrakFeatures.Compute(network, source, t => kind.Plan.Targets[t].Output, settings, null);
                            s.AddArtifact(Write(context, dataset, s.RunId, ScoresArtifact, TrakScorer.Score(psi, scoringMatrix)));
                            return new LdsStudyScoreResult(kind.Plan.Targets.Count, watch.Elapsed.TotalSeconds);
                        });
                    }
                }
                result[r][e] = scoreRuns.Select((s, k) =>
                {
                    using var scope = torch.NewDisposeScope();
                    return Rows(Read(context, s, ScoresArtifact, kinds[k].Plan.Targets.Count, n));
                }).ToArray();
                done++;
                log($"TRAK checkpoint {done}/{total} (seed {runs[r].Seed}, epoch {epoch}): {(computed ? "computed" : "reused")}, {clock.Elapsed.TotalSeconds:0}s");
            }
        }
        return result;
    }

    private static RunArtifact Write(PipelineContext context, DatasetInfo dataset, long runId, string name, Tensor matrix) =>
        context.Artifacts.Write(name, Path.Combine("studies", "lds", dataset.Name, $"run{runId}-{name}.bin"), path => ScoringMatrixFile.Save(path, matrix.cpu()));

    private static Tensor Read(PipelineContext context, RunRecord run, string name, int rows, int cols)
    {
        var artifact = context.Ledger.Artifacts(run.Id).FirstOrDefault(a => a.Name == name)
            ?? throw new InvalidDataException($"run {run.Id} ({run.Kind}) has no artifact '{name}'");
        return ScoringMatrixFile.Load(context.Artifacts.Verified(artifact, "delete the run and rerun `precompute study lds`"), rows, cols, artifact.Sha256);
    }

    private static float[][] Rows(Tensor matrix)
    {
        var flat = matrix.contiguous().data<float>().ToArray();
        int rows = (int)matrix.shape[0], cols = (int)matrix.shape[1];
        return Enumerable.Range(0, rows).Select(i => flat.AsSpan(i * cols, cols).ToArray()).ToArray();
    }
}
