using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Embeddings;
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
/// targets, each a run of its own with its parameters. Embedding sets and runs with identical parameters are reused.</summary>
public static class SimilarityStep
{
    public static void Run(PipelineContext context, DatasetInfo dataset, SimilarityOptions options, ClipOptions clip)
    {
        var trainImages = AllImages(context, dataset, Splits.Train);
        var valImages = AllImages(context, dataset, Splits.Val);
        var trainIds = trainImages.Select(i => i.Id).ToArray();
        var targets = new SimilarityTargets(trainIds, context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train),
            valImages.Select(i => i.Id).ToArray(), context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Val));

        var moco = EnsureMocoEmbeddings(context, dataset, options);
        var esvm = new EsvmSettings(options.EsvmC, options.EsvmTolerance, options.EsvmMaxIterations, options.L2NormalizeEmbeddings);
        WriteRankings(context, dataset, AttributionMethods.Esvm, moco, trainIds, targets, options.TopK,
            new { esvm.C, loss = "squared_hinge", classWeight = "balanced", intercept = "regularized (liblinear)", esvm.Tolerance, esvm.MaxIterations, l2NormalizeRows = esvm.L2NormalizeRows,
                negatives = "training images containing the target's class (full image: sharing any class)", embedding = "MoCo backbone features" },
            (queries, pool, candidates) => EsvmRanker.DecisionValues(queries, pool, candidates, esvm), useEsvmCandidates: true);
        WriteRankings(context, dataset, AttributionMethods.MocoCosine, moco, trainIds, targets, options.TopK,
            new { similarity = "cosine", pool = "class target: training images containing the class; full image: all training images", embedding = "MoCo backbone features" },
            Cosine, useEsvmCandidates: false);

        if (!clip.IsConfigured)
        {
            StepProgress.Skipped("CLIP similarity", "not configured (AttributionExplorer:Clip)");
            return;
        }
        var clipSet = EnsureClipEmbeddings(context, dataset, clip, trainImages.Concat(valImages).ToList());
        WriteRankings(context, dataset, AttributionMethods.ClipCosine, clipSet, trainIds, targets, options.TopK,
            new { similarity = "cosine", pool = "class target: training images containing the class; full image: all training images", embedding = clipSet.Source },
            Cosine, useEsvmCandidates: false);
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

    private static string Hash(string json) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))).ToLowerInvariant();

    private static EmbeddingSet EnsureMocoEmbeddings(PipelineContext context, DatasetInfo dataset, SimilarityOptions o)
    {
        var settings = new MocoSettings(o.EncoderWidth, o.HiddenDim, o.EmbeddingDim, o.QueueSize, o.Momentum, o.Temperature, o.Epochs, o.BatchSize, o.LearningRate, Seed: o.Seed);
        string json = JsonSerializer.Serialize(new { method = "MoCo v2", settings, o.ImageSize, trainImages = context.Datasets.CountImages(dataset.Id, Splits.Train), features = "backbone, L2-normalized" });
        string hash = Hash(json);
        if (context.Embeddings.FindByHash(dataset.Id, EmbeddingKinds.Moco, hash) is { } existing)
        {
            StepProgress.Skipped("MoCo", $"embedding set {existing.Id} with identical parameters exists");
            return existing;
        }
        var clock = Stopwatch.StartNew();
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, o.ImageSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, o.ImageSize);
        int batches = train.Count / Math.Min(o.BatchSize, train.Count);
        var result = StepProgress.Run("MoCo (self-supervised)", o.Epochs * batches, report =>
            MocoTrainer.Train(train, settings, new SyncProgress<MocoProgress>(p => report((p.Epoch - 1) * p.Batches + p.Batch, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}"))));
        using var encoder = result.Encoder;
        string encoderPath = Path.Combine(context.DataRoot, "moco", $"moco-{hash[..12]}.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(encoderPath)!);
        encoder.save(encoderPath);
        var vectors = MocoEmbedder.Embed(encoder, train).Zip(train.ImageIds, (v, id) => (id, v))
            .Concat(MocoEmbedder.Embed(encoder, val).Zip(val.ImageIds, (v, id) => (id, v))).ToList();
        var fullJson = JsonSerializer.Serialize(new { parameters = JsonDocument.Parse(json).RootElement, epochLosses = result.EpochLosses, result.Seconds, result.RecomputedBatches });
        long id = context.Embeddings.Save(dataset.Id, EmbeddingKinds.Moco, encoderPath, fullJson, hash, vectors);
        context.Summary.Add(("MoCo", $"{train.Count} train images, {o.Epochs} epochs, InfoNCE {result.EpochLosses[Math.Min(1, result.EpochLosses.Length - 1)]:F2} (epoch 2, first with a full queue) → {result.EpochLosses[^1]:F2}, {vectors.Count} embeddings", clock.Elapsed.TotalSeconds));
        return context.Embeddings.FindByHash(dataset.Id, EmbeddingKinds.Moco, hash)!;
    }

    private static EmbeddingSet EnsureClipEmbeddings(PipelineContext context, DatasetInfo dataset, ClipOptions clip, IReadOnlyList<ImageRecord> images)
    {
        bool onnx = clip.OnnxModelPath.Length > 0;
        string source = Core.Options.PathResolver.Resolve(onnx ? clip.OnnxModelPath : clip.EmbeddingsNpyPath);
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: CLIP {(onnx ? "ONNX model (Clip.OnnxModelPath)" : "embeddings (Clip.EmbeddingsNpyPath)")} not found", source);
        string idsPath = onnx ? "" : Core.Options.PathResolver.Resolve(clip.EmbeddingIdsPath);
        string fileHash = FileSha(source) + (onnx ? "" : FileSha(idsPath));
        string json = JsonSerializer.Serialize(new { source = onnx ? "onnx image encoder" : "imported .npy", path = source, ids = idsPath, sha256 = fileHash, images = images.Count });
        string hash = Hash(json);
        if (context.Embeddings.FindByHash(dataset.Id, EmbeddingKinds.Clip, hash) is { } existing)
        {
            StepProgress.Skipped("CLIP embeddings", $"embedding set {existing.Id} from identical files exists");
            return existing;
        }
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
        context.Embeddings.Save(dataset.Id, EmbeddingKinds.Clip, source, json, hash, vectors);
        context.Summary.Add(("CLIP embeddings", $"{vectors.Count} images from {Path.GetFileName(source)}", clock.Elapsed.TotalSeconds));
        return context.Embeddings.FindByHash(dataset.Id, EmbeddingKinds.Clip, hash)!;
    }

    private static string FileSha(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found", path);
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    }

    private static void WriteRankings(PipelineContext context, DatasetInfo dataset, string method, EmbeddingSet embeddings, long[] trainIds,
        SimilarityTargets targets, int topK, object methodParameters,
        Func<IReadOnlyList<float[]>, IReadOnlyList<float[]>, IReadOnlyList<int[]>, float[][]> rank, bool useEsvmCandidates)
    {
        var vectors = context.Embeddings.GetVectors(embeddings.Id);
        var pool = trainIds.Select(id => vectors.TryGetValue(id, out var v) ? v
            : throw new InvalidOperationException($"{embeddings.Kind} embedding set {embeddings.Id} has no vector for training image {id}")).ToArray();
        foreach (var kind in new[] { TargetKinds.Image, TargetKinds.Class })
        {
            var mine = targets.Targets.Where(t => t.Target.Kind == kind).ToList();
            string json = JsonSerializer.Serialize(new { method, target = kind, embeddingSet = embeddings.Id, embeddingHash = embeddings.ParametersHash, parameters = methodParameters });
            string hash = Hash(json);
            if (context.Attributions.FindCompleteRun(dataset.Id, hash) is { } done)
            {
                StepProgress.Skipped($"{method} ({kind})", $"run {done.Id} with identical parameters is complete");
                continue;
            }
            var clock = Stopwatch.StartNew();
            long runId = context.Attributions.BeginRun(dataset.Id, method, kind, json, hash, trainIds);
            try
            {
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
                context.Attributions.WriteScores(runId, rows, ScoreDtype.Float32);
                context.Attributions.CompleteRun(runId, JsonSerializer.Serialize(new { seconds = new { total = clock.Elapsed.TotalSeconds }, targets = rows.Count }), topK);
                context.Summary.Add(($"{method} ({kind})", $"{rows.Count} targets, mean pool {candidates.DefaultIfEmpty([]).Average(c => c.Length):F0} of {trainIds.Length} train", clock.Elapsed.TotalSeconds));
            }
            catch (Exception e)
            {
                context.Attributions.FailRun(runId, e.Message);
                throw;
            }
        }
    }
}
