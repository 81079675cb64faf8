using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Core.Stability;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.OnDemand;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using AttributionExplorer.Worker.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Serve;

/// <summary>TRAK for a user-drawn region: the region's mask goes to model resolution like the labels, the target gradient
/// is projected and scored against the stored scoring matrices of the dataset's newest full-image TRAK run, and the
/// result is appended to that run's on-demand run. An uploaded image has no ground truth, so its "true class" per
/// pixel is the ensemble's prediction: the target then asks which training images support what the model sees.
/// Models and matrices stay loaded between jobs.</summary>
public sealed class RegionJobHandler(PipelineContext context) : IDisposable
{
    private readonly Dictionary<long, (OnDemandScorer Scorer, int ImageSize, IReadOnlyList<CheckpointRecord> Checkpoints)> scorers = [];

    /// <param name="progress">Hears the share done (0–1) and what is being done, for the job table.</param>
    public (long TargetId, string ResultJson) Handle(JobRecord job, Action<double, string>? progress = null)
    {
        progress ??= (_, _) => { };
        var clock = Stopwatch.StartNew();
        var request = Parse(job);
        var dataset = context.Datasets.Get(job.DatasetId) ?? throw new ArgumentException($"job {job.Id}: dataset {job.DatasetId} does not exist");
        var image = context.Datasets.GetImage(request.ImageId) ?? throw new ArgumentException($"job {job.Id}: image {request.ImageId} does not exist");
        if (image.Height != request.Height || image.Width != request.Width)
            throw new ArgumentException($"job {job.Id}: region is {request.Height}×{request.Width}, image {image.Id} is {image.Height}×{image.Width}");
        bool[] region;
        try { region = RleCodec.Decode(new RleMask(request.Height, request.Width, RleCodec.FromCompressedString(request.RleCounts))); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new ArgumentException($"job {job.Id}: field rleCounts is not a valid RLE of {request.Height}×{request.Width}: {e.Message}"); }

        var baseRun = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)
            ?? throw new InvalidOperationException($"dataset '{dataset.Name}' has no complete full-image TRAK run; run `precompute trak` first");
        double loadSeconds = 0;
        // Shares of the work: loading models (first job only) 0–40%, scoring each checkpoint 40–95%, saving the rest.
        if (!scorers.TryGetValue(baseRun.Id, out var loaded))
        {
            loaded = Load(baseRun, (done, total) => progress(0.4 * done / total, $"loading checkpoint {done} of {total}"));
            scorers[baseRun.Id] = loaded;
            loadSeconds = clock.Elapsed.TotalSeconds;
        }
        var mask = DatabaseExamples.ResampleMask(region, image.Height, image.Width, loaded.ImageSize);
        if (!mask.Any(m => m)) throw new ArgumentException($"job {job.Id}: the region has no pixels inside the model's {loaded.ImageSize}×{loaded.ImageSize} center crop");
        var source = DatabaseExamples.LoadImage(context.Datasets, dataset, image.Id, loaded.ImageSize, context.DataRoot);

        float[][] perCheckpoint;
        using (var scope = torch.NewDisposeScope())
        {
            var (pixels, labels) = source.Load(0, 1);
            if (image.Split == Splits.Upload) labels = loaded.Scorer.PredictLabels(pixels);
            using var output = new MaskedLogOddsOutput(torch.tensor(mask, [loaded.ImageSize, loaded.ImageSize]));
            progress(0.4, $"scoring the region under {loaded.Checkpoints.Count} checkpoints");
            perCheckpoint = loaded.Scorer.ScorePerCheckpoint(pixels, labels, output,
                (done, total) => progress(0.4 + 0.55 * done / total, $"scored checkpoint {done} of {total}"));
        }
        var scores = OnDemandScorer.Mean(perCheckpoint);
        var reliability = SplitHalf.Split(loaded.Checkpoints, out string noHalves) is { } halves
            ? SplitHalf.Compare(Half(perCheckpoint, halves.A), Half(perCheckpoint, halves.B), halves.Description)
            : Reliability.None(noHalves);
        double scoreSeconds = clock.Elapsed.TotalSeconds - loadSeconds;
        progress(0.95, "saving the scores");
        var parameters = BaseParameters(baseRun);
        // Workers doing the first region jobs of a dataset together all need the one on-demand run: whoever claims it
        // records it (milliseconds), the others wait for that instead of failing their job. Twice the lease bounds the
        // wait even when the claimer died just after claiming.
        long run = context.Runs.ExecuteOrWait(dataset.Id, dataset.Version, new OnDemandRegionParameters(baseRun.Id), [baseRun.Id], scope =>
        {
            context.RankingRuns.BeginOnDemand(scope.RunId, baseRun.Id);
            return new TrainRankingResult(0);
        }, poll: TimeSpan.FromMilliseconds(50), maxWait: 2 * context.Lease).Run.Id;
        long targetId = context.Scores.AppendTarget(run, new NewTarget(image.Id, TargetKinds.Region, null, null, reliability.SplitHalf), scores, ScoreDtype.Float32, parameters.TopK);
        return (targetId, JsonSerializer.Serialize(new
        {
            baseRunId = baseRun.Id, runId = run, targetId, pixels = mask.Count(m => m), label = request.Label,
            splitHalf = reliability.SplitHalf, reliability = reliability.Badge,
            trueClass = image.Split == Splits.Upload ? "ensemble prediction (uploaded image)" : "ground truth",
            seconds = new { loadModels = loadSeconds, score = scoreSeconds, total = clock.Elapsed.TotalSeconds },
        }));
    }

    private static double[] Half(float[][] perCheckpoint, IReadOnlyList<int> half) =>
        OnDemandScorer.Mean(half.Select(i => perCheckpoint[i]).ToList()).Select(s => (double)s).ToArray();

    private static RegionJobRequest Parse(JobRecord job)
    {
        RegionJobRequest? request;
        try { request = JsonSerializer.Deserialize<RegionJobRequest>(job.RequestJson, new JsonSerializerOptions(JsonSerializerDefaults.Web)); }
        catch (JsonException e) { throw new ArgumentException($"job {job.Id}: request_json is not a region request: {e.Message}"); }
        if (request is null || request.ImageId <= 0 || request.Height <= 0 || request.Width <= 0 || string.IsNullOrEmpty(request.RleCounts))
            throw new ArgumentException($"job {job.Id}: request_json needs imageId, height, width and rleCounts");
        return request;
    }

    /// <summary>The base run's typed TRAK parameters (runs recorded before the run ledger cannot be read: recompute them).</summary>
    private TrakScoreParameters BaseParameters(AttributionRun baseRun)
    {
        var run = context.Ledger.Get(baseRun.Id) ?? throw new KeyNotFoundException($"run {baseRun.Id} is not in the run ledger");
        try { return RunParameters.Read<TrakScoreParameters>(run); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidOperationException($"TRAK run {baseRun.Id} was recorded by an older version ({e.Message}); rerun `precompute trak` (or demo) to make one on-demand jobs can use");
        }
    }

    private (OnDemandScorer, int, IReadOnlyList<CheckpointRecord>) Load(AttributionRun baseRun, Action<int, int> loadedOne)
    {
        var matrices = context.ScoringMatrices.Get(baseRun.Id);
        if (matrices.Count == 0) throw new InvalidOperationException($"TRAK run {baseRun.Id} has no stored scoring matrices; rerun `precompute trak`");
        var parameters = BaseParameters(baseRun);
        var settings = parameters.Projection.Settings(parameters.Lambda, context.GradientMethod) with { BatchSize = 1 };
        int imageSize = 0;
        var members = new List<(nn.Module<Tensor, Tensor>, Tensor)>();
        var checkpoints = new List<CheckpointRecord>();
        foreach (var m in matrices)
        {
            var checkpoint = context.Checkpoints.Get(m.CheckpointId) ?? throw new InvalidOperationException($"checkpoint {m.CheckpointId} of run {baseRun.Id} is gone");
            checkpoints.Add(checkpoint);
            imageSize = TrainStep.TrainParameters(context, checkpoint).ImageSize;
            members.Add((TrainStep.Load(context, checkpoint), ScoringMatrixFile.Load(m.Path, m.Rows, m.Cols, m.Sha256)));
            loadedOne(members.Count, matrices.Count);
        }
        return (new OnDemandScorer(members, settings), imageSize, checkpoints);
    }

    public void Dispose()
    {
        foreach (var (scorer, _, _) in scorers.Values) scorer.Dispose();
        scorers.Clear();
    }
}

/// <summary>The run that collects on-demand region targets scored like a TRAK image run (kind "rank.trak.region").</summary>
public sealed record OnDemandRegionParameters(long BaseRunId) : IRunParameters
{
    public string RunKind => "rank." + AttributionMethods.Trak + "." + TargetKinds.Region;
}
