using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Embeddings;
using AttributionExplorer.Core.Hashing;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Core.Similarity;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Embeddings;
using AttributionExplorer.Precompute.Embeddings.Moco;
using AttributionExplorer.Precompute.Similarity;
using AttributionExplorer.Worker.Infrastructure;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Self-supervised MoCo embeddings (trained here without labels), CLIP embeddings when configured, and the
/// rankings computed from them: Exemplar-SVM (MoCo), MoCo cosine and CLIP cosine, each for full-image and class
/// targets, each a ledger run of its own (upstream: its embedding run), so identical runs are reused.</summary>
public static class SimilarityStep
{
    /// <summary>Exemplar-SVM in the MoCo embedding for full-image and class targets.</summary>
    public static int Esvm(PipelineContext context, DatasetInfo dataset, SimilarityOptions options)
    {
        var (trainIds, targets) = Targets(context, dataset);
        var moco = EnsureMocoEmbeddings(context, dataset, options);
        var esvm = new EsvmSettings(options.EsvmC, options.EsvmTolerance, options.EsvmMaxIterations, options.L2NormalizeEmbeddings);
        return WriteRankings(context, dataset, AttributionMethods.Esvm, moco, trainIds, targets, options.TopK,
            new { esvm.C, loss = "squared_hinge", classWeight = "balanced", intercept = "regularized (liblinear)", esvm.Tolerance, esvm.MaxIterations, l2NormalizeRows = esvm.L2NormalizeRows,
                negatives = "training images containing the target's class (full image: sharing any class)", embedding = "MoCo backbone features" },
            (queries, pool, candidates) => EsvmRanker.DecisionValues(queries, pool, candidates, esvm), useEsvmCandidates: true);
    }

    /// <summary>Cosine similarity in the MoCo embedding.</summary>
    public static int MocoCosine(PipelineContext context, DatasetInfo dataset, SimilarityOptions options)
    {
        var (trainIds, targets) = Targets(context, dataset);
        var moco = EnsureMocoEmbeddings(context, dataset, options);
        return WriteRankings(context, dataset, AttributionMethods.MocoCosine, moco, trainIds, targets, options.TopK,
            new { similarity = "cosine", pool = "class target: training images containing the class; full image: all training images", embedding = "MoCo backbone features" },
            Cosine, useEsvmCandidates: false);
    }

    /// <summary>Cosine similarity in the configured CLIP embedding; returns -1 (nothing done) when CLIP is not configured.</summary>
    public static int ClipCosine(PipelineContext context, DatasetInfo dataset, SimilarityOptions options, ClipOptions clip)
    {
        if (!clip.IsConfigured)
        {
            StepProgress.Skipped("CLIP similarity", "not configured (AttributionExplorer:Clip)");
            return -1;
        }
        var (trainIds, targets) = Targets(context, dataset);
        var images = AllImages(context, dataset, Splits.Train).Concat(AllImages(context, dataset, Splits.Val)).ToList();
        var clipSet = EnsureClipEmbeddings(context, dataset, clip, images);
        return WriteRankings(context, dataset, AttributionMethods.ClipCosine, clipSet, trainIds, targets, options.TopK,
            new { similarity = "cosine", pool = "class target: training images containing the class; full image: all training images", embedding = clipSet.Source },
            Cosine, useEsvmCandidates: false);
    }

    private static (long[] TrainIds, SimilarityTargets Targets) Targets(PipelineContext context, DatasetInfo dataset)
    {
        var trainIds = AllImages(context, dataset, Splits.Train).Select(i => i.Id).ToArray();
        var valImages = AllImages(context, dataset, Splits.Val);
        return (trainIds, new SimilarityTargets(trainIds, context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train),
            valImages.Select(i => i.Id).ToArray(), context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Val)));
    }

    private static float[][] Cosine(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> pool, IReadOnlyList<int[]> candidates) =>
        queries.Select((q, i) => CosineSimilarity.ToEach(q, candidates[i].Select(c => pool[c]).ToArray())).ToArray();

    private static IReadOnlyList<ImageRecord> AllImages(PipelineContext context, DatasetInfo dataset, string split)
    {
        int count = context.Datasets.CountImages(dataset.Id, split);
        var images = new List<ImageRecord>(count);
        for (int offset = 0; offset < count; offset += 1000) images.AddRange(context.Datasets.GetImages(dataset.Id, split, offset, 1000));
        return images;
    }

    private static EmbeddingSet EnsureMocoEmbeddings(PipelineContext context, DatasetInfo dataset, SimilarityOptions o)
    {
        var settings = new MocoSettings(o.EncoderWidth, o.HiddenDim, o.EmbeddingDim, o.QueueSize, o.Momentum, o.Temperature, o.Epochs, o.BatchSize, o.LearningRate, Seed: o.Seed);
        var parameters = new MocoEmbeddingParameters(settings, o.ImageSize, context.Datasets.CountImages(dataset.Id, Splits.Train));
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
        {
            var clock = Stopwatch.StartNew();
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, o.ImageSize);
            var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, o.ImageSize);
            int batches = train.Count / Math.Min(o.BatchSize, train.Count);
            var result = StepProgress.Run("MoCo (self-supervised)", o.Epochs * batches, report =>
                MocoTrainer.Train(train, settings, new SyncProgress<MocoProgress>(p => report((p.Epoch - 1) * p.Batches + p.Batch, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}"))));
            using var encoder = result.Encoder;
            var artifact = context.Artifacts.Write("encoder", Path.Combine("moco", $"run{scope.RunId}-encoder.bin"), temporary => encoder.save(temporary));
            scope.AddArtifact(artifact);
            var vectors = MocoEmbedder.Embed(encoder, train).Zip(train.ImageIds, (v, id) => (id, v))
                .Concat(MocoEmbedder.Embed(encoder, val).Zip(val.ImageIds, (v, id) => (id, v))).ToList();
            var retrieval = Retrieval(context, dataset, vectors.ToDictionary(v => v.id, v => v.v), train.ImageIds, val.ImageIds);
            var fullJson = JsonSerializer.Serialize(new { parameters, epochLosses = result.EpochLosses, result.Seconds, result.RecomputedBatches, retrieval });
            context.Embeddings.Save(scope.RunId, dataset.Id, EmbeddingKinds.Moco, artifact.RelativePath, fullJson, vectors);
            context.Summary.Add(("MoCo", $"{train.Count} train images, {o.Epochs} epochs, {result.Seconds:F0} s training, InfoNCE {result.EpochLosses[Math.Min(1, result.EpochLosses.Length - 1)]:F2} (epoch 2, first with a full queue) → {result.EpochLosses[^1]:F2}, {vectors.Count} embeddings; held-out k-NN@{retrieval.K} class precision {retrieval.Precision:F3} (random {retrieval.RandomPrecision:F3})", clock.Elapsed.TotalSeconds));
            return new EmbeddingRunResult(vectors.Count);
        });
        if (outcome.Reused) StepProgress.Skipped("MoCo", $"run {outcome.Run.Id} with identical parameters is complete");
        return context.Embeddings.FindByRun(outcome.Run.Id)!;
    }

    /// <summary>k-NN class precision of the held-out images among the training images (<see cref="RetrievalQuality"/>).</summary>
    private static RetrievalQuality Retrieval(PipelineContext context, DatasetInfo dataset, IReadOnlyDictionary<long, float[]> vectors,
        IReadOnlyList<long> trainIds, IReadOnlyList<long> valIds)
    {
        var trainClasses = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<int>)g.Value.Select(a => a.CategoryCocoId).ToHashSet());
        var dominant = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Val).Where(g => g.Value.Count > 0)
            .ToDictionary(g => g.Key, g => g.Value.GroupBy(a => a.CategoryCocoId).OrderByDescending(c => c.Sum(a => a.Area)).ThenBy(c => c.Key).First().Key);
        return RetrievalQuality.Measure(valIds.Select(id => vectors[id]).ToList(), valIds.Select(id => dominant.TryGetValue(id, out var c) ? c : (int?)null).ToList(),
            trainIds.Select(id => vectors[id]).ToList(), trainIds.Select(id => trainClasses.GetValueOrDefault(id) ?? new HashSet<int>()).ToList(),
            Math.Min(RetrievalNeighbours, trainIds.Count));
    }

    private const int RetrievalNeighbours = 10;

    private static EmbeddingSet EnsureClipEmbeddings(PipelineContext context, DatasetInfo dataset, ClipOptions clip, IReadOnlyList<ImageRecord> images)
    {
        bool onnx = clip.OnnxModelPath.Length > 0;
        string source = Core.Options.PathResolver.Resolve(onnx ? clip.OnnxModelPath : clip.EmbeddingsNpyPath);
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: CLIP {(onnx ? "ONNX model (Clip.OnnxModelPath)" : "embeddings (Clip.EmbeddingsNpyPath)")} not found", source);
        string idsPath = onnx ? "" : Core.Options.PathResolver.Resolve(clip.EmbeddingIdsPath);
        if (!onnx && !File.Exists(idsPath)) throw new FileNotFoundException($"{idsPath}: CLIP embedding ids (Clip.EmbeddingIdsPath) not found", idsPath);
        var parameters = new ClipEmbeddingParameters(onnx ? "onnx image encoder" : "imported .npy", source, idsPath,
            Sha256Hex.OfFile(source) + (onnx ? "" : Sha256Hex.OfFile(idsPath)), images.Count);
        var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
        {
            var clock = Stopwatch.StartNew();
            List<(long, float[])> vectors;
            if (onnx)
            {
                using var encoder = new OnnxImageEncoder(source, new OnnxEncoderOptions());
                var paths = images.Select(i => Path.Combine(dataset.ImageRoot, i.FileName)).ToList();
                var embedded = StepProgress.Run("CLIP (ONNX)", 1, _ => encoder.Encode(paths, clip.BatchSize));
                vectors = images.Select((img, i) => (img.Id, embedded[i])).ToList();
            }
            else vectors = ImportedEmbeddings.Match(source, idsPath, images);
            context.Embeddings.Save(scope.RunId, dataset.Id, EmbeddingKinds.Clip, source, RunParameters.Serialize(parameters), vectors);
            context.Summary.Add(("CLIP embeddings", $"{vectors.Count} images from {Path.GetFileName(source)}", clock.Elapsed.TotalSeconds));
            return new EmbeddingRunResult(vectors.Count);
        });
        if (outcome.Reused) StepProgress.Skipped("CLIP embeddings", $"run {outcome.Run.Id} from identical files is complete");
        return context.Embeddings.FindByRun(outcome.Run.Id)!;
    }

    /// <summary>Writes one run per target kind (image, class); returns how many targets were ranked in new runs.</summary>
    private static int WriteRankings(PipelineContext context, DatasetInfo dataset, string method, EmbeddingSet embeddings, long[] trainIds,
        SimilarityTargets targets, int topK, object methodParameters,
        Func<IReadOnlyList<float[]>, IReadOnlyList<float[]>, IReadOnlyList<int[]>, float[][]> rank, bool useEsvmCandidates)
    {
        var vectors = context.Embeddings.GetVectors(embeddings.Id);
        var pool = trainIds.Select(id => vectors.TryGetValue(id, out var v) ? v
            : throw new InvalidOperationException($"{embeddings.Kind} embedding set {embeddings.Id} has no vector for training image {id}")).ToArray();
        int ranked = 0;
        foreach (var kind in new[] { TargetKinds.Image, TargetKinds.Class })
        {
            var mine = targets.Targets.Where(t => t.Target.Kind == kind).ToList();
            var parameters = new SimilarityRankingParameters(method, kind, JsonSerializer.SerializeToElement(methodParameters), topK);
            var outcome = context.Runs.Execute(dataset.Id, dataset.Version, parameters, [embeddings.RunId], scope =>
            {
                var clock = Stopwatch.StartNew();
                var queries = mine.Select(t => vectors.TryGetValue(t.Target.ImageId, out var v) ? v
                    : throw new InvalidOperationException($"{embeddings.Kind} embedding set {embeddings.Id} has no vector for held-out image {t.Target.ImageId}")).ToList();
                var candidates = mine.Select(t => useEsvmCandidates ? t.EsvmCandidates : t.CosinePool).ToList();
                var values = rank(queries, pool, candidates);
                var rows = new List<(NewTarget, float[])>();
                for (int t = 0; t < mine.Count; t++)
                {
                    var scores = Enumerable.Repeat(float.NaN, trainIds.Length).ToArray();
                    for (int j = 0; j < candidates[t].Length; j++) scores[candidates[t][j]] = values[t][j];
                    rows.Add((mine[t].Target, scores));
                }
                context.RankingRuns.Begin(scope.RunId, dataset.Id, method, kind, trainIds);
                context.Scores.WriteScores(scope.RunId, rows, ScoreDtype.Float32);
                // One embedding model ranks every target: there is no ensemble whose halves could be compared.
                context.RankingRuns.RecordReliability(scope.RunId, Core.Stability.Reliability.OneModel($"{embeddings.Kind} embedding"));
                context.Scores.Summarize(scope.RunId, topK);
                context.Summary.Add(($"{method} ({kind})", $"{rows.Count} targets, mean pool {candidates.DefaultIfEmpty([]).Average(c => c.Length):F0} of {trainIds.Length} train", clock.Elapsed.TotalSeconds));
                return new RankingRunResult(rows.Count, clock.Elapsed.TotalSeconds);
            });
            if (outcome.Reused) StepProgress.Skipped($"{method} ({kind})", $"run {outcome.Run.Id} with identical inputs is complete");
            else ranked += outcome.Result.Targets;
        }
        return ranked;
    }
}
