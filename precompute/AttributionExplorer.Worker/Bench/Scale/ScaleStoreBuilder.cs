using System.Diagnostics;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Core.Scores;
using AttributionExplorer.Worker.Plugins.ObjectConfidence;
using AttributionExplorer.Worker.Plugins.Suspect;

namespace AttributionExplorer.Worker.Bench.Scale;

/// <summary>What a synthetic store holds: the shape the issue asks for (COCO: 118k training images, 5k held-out, 500k
/// objects), the top-k kept per target and sign, the dtype of the dense scores and the seed of everything random.</summary>
public sealed record ScaleShape(int Train, int HeldOut, int Objects, int TopK, ScoreDtype Dtype, int Seed)
{
    public string DatasetName => $"bench-scale-{Train}x{HeldOut}-{Objects}obj-k{TopK}-{Dtype.ToString().ToLowerInvariant()}-seed{Seed}";

    public void Validate()
    {
        if (Train < 2) throw new ArgumentException($"--train: {Train} training images; give at least 2");
        if (HeldOut < 1) throw new ArgumentException($"--heldout: {HeldOut} held-out images; give at least 1");
        if (Objects < 0) throw new ArgumentException($"--objects: {Objects}; give 0 or more");
        if (TopK < 1) throw new ArgumentException($"--top-k: {TopK}; give at least 1");
    }
}

/// <summary>The generated store as the measurements use it.</summary>
public sealed record ScaleDataset(long DatasetId, long TrakRunId, long SuspectRunId, long ObjectRunId, IReadOnlyList<long> HeldOutIds,
    IReadOnlyList<long> TrainIds);

/// <summary>Generates a synthetic store of a <see cref="ScaleShape"/> through the storage ports (the dataset import, the
/// ranking runs of the ledger, the score shards, the detectors' rankings, some flags), or finds the one generated
/// before: every step is a ledger run with a fixed identity, so an interrupted generation resumes at the missing runs.
/// Scores are random but shaped like TRAK's (a per-training-image effect plus noise), seeded per target.</summary>
public static class ScaleStoreBuilder
{
    public const int ShardRows = 256;
    private const int Categories = 80;
    private const int Width = 640, Height = 480;
    private static readonly TimeSpan Lease = TimeSpan.FromHours(2);

    public static ScaleDataset Ensure(ScaleStore store, ScaleShape shape, Action<string> log)
    {
        shape.Validate();
        var dataset = store.Datasets.FindByName(shape.DatasetName);
        if (dataset is null)
        {
            var clock = Stopwatch.StartNew();
            long id = store.Datasets.Import(Import(shape));
            dataset = store.Datasets.Get(id)!;
            log($"imported {shape.DatasetName}: {shape.Train} training + {shape.HeldOut} held-out images, {shape.Objects} objects ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        var train = store.Datasets.GetImages(dataset.Id, Splits.Train, 0, int.MaxValue).Select(i => i.Id).ToArray();
        var heldOut = store.Datasets.GetImages(dataset.Id, Splits.Val, 0, int.MaxValue).Select(i => i.Id).ToArray();
        if (train.Length != shape.Train || heldOut.Length != shape.HeldOut)
            throw new InvalidOperationException($"dataset {shape.DatasetName} has {train.Length} training and {heldOut.Length} held-out images, not {shape.Train} and {shape.HeldOut}; delete it or the store");

        long trak = Run(store, dataset.Id, "rank." + AttributionMethods.Trak, "bench-scale-trak-image", log, owner =>
        {
            store.RankingRuns.Begin(owner.RunId, dataset.Id, AttributionMethods.Trak, TargetKinds.Image, train);
            var effect = TrainEffect(shape);
            var rows = new float[Math.Min(ShardRows, heldOut.Length)][];
            for (int r = 0; r < rows.Length; r++) rows[r] = new float[train.Length];
            for (int start = 0; start < heldOut.Length; start += ShardRows)
            {
                int count = Math.Min(ShardRows, heldOut.Length - start);
                var batch = new (NewTarget, float[])[count];
                Parallel.For(0, count, r => FillScores(rows[r], effect, shape.Seed, start + r));
                for (int r = 0; r < count; r++) batch[r] = (new NewTarget(heldOut[start + r], TargetKinds.Image, null, null, SplitHalf: 0.9), rows[r]);
                store.Scores.WriteScores(owner.RunId, batch, shape.Dtype);
                owner.Renew();
            }
            store.Scores.Summarize(owner.RunId, shape.TopK);
            store.RankingRuns.RecordReliability(owner.RunId, new Core.Stability.Reliability(0.8, "bench scale: synthetic"));
        });

        var planted = store.Datasets.GetPlantedErrors(dataset.Id).Select(p => p.ImageId).ToHashSet();
        long suspect = Run(store, dataset.Id, "rank." + SuspectDetector.Name, "bench-scale-suspect", log, owner =>
        {
            store.RankingRuns.Begin(owner.RunId, dataset.Id, SuspectDetector.Name, "train", train);
            var random = new Random(shape.Seed + 1);
            var scored = train.Select(id => (id, Score: (float)(random.NextDouble() + (planted.Contains(id) ? 0.5 : 0)))).ToList();
            store.TrainRankings.Write(owner.RunId, scored.OrderByDescending(s => s.Score).ThenBy(s => s.id).ToList());
        });

        long objects = Run(store, dataset.Id, "rank." + ObjectConfidenceDetector.Name, "bench-scale-object-confidence", log, owner =>
        {
            store.RankingRuns.Begin(owner.RunId, dataset.Id, ObjectConfidenceDetector.Name, "train-objects", train);
            var random = new Random(shape.Seed + 2);
            var scored = store.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train)
                .SelectMany(pair => pair.Value.Select(a => (a.Id, pair.Key, Score: (float)random.NextDouble())))
                .OrderBy(s => s.Score).ThenBy(s => s.Id).ToList();
            store.TrainRankings.WriteObjects(owner.RunId, scored);
        });

        if (store.Flags.Count(dataset.Id, null) == 0)
        {
            var clock = Stopwatch.StartNew();
            var random = new Random(shape.Seed + 3);
            string[] states = ["suspected", "confirmed", "ok", "fixed"];
            int flagged = Math.Max(1, train.Length / 200);
            foreach (long id in train.OrderBy(_ => random.Next()).Take(flagged).Order())
                store.Flags.Save(dataset.Id, id, states[random.Next(states.Length)], "bench scale", "bench", 0);
            log($"flagged {flagged} training images ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        return new ScaleDataset(dataset.Id, trak, suspect, objects, heldOut, train);
    }

    /// <summary>The training image's share of every target's score (what makes the overall influence more than noise).</summary>
    private static float[] TrainEffect(ScaleShape shape)
    {
        var random = new Random(shape.Seed);
        return Enumerable.Range(0, shape.Train).Select(_ => (float)((random.NextDouble() - 0.5) * 2e-3)).ToArray();
    }

    /// <summary>Target <paramref name="target"/>'s scores: the training effect plus noise from a xorshift generator seeded
    /// by (seed, target), so every shard is reproducible and targets fill in parallel.</summary>
    private static void FillScores(float[] row, float[] effect, int seed, int target)
    {
        ulong state = 0x9E3779B97F4A7C15UL * (ulong)(target + 1) ^ (ulong)seed * 0xD1B54A32D192ED03UL;
        if (state == 0) state = 1;
        for (int i = 0; i < row.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Sum of two uniforms: a triangular noise in (-1, 1), scaled like TRAK scores.
            double noise = (uint)state / 4294967296.0 + (uint)(state >> 32) / 4294967296.0 - 1.0;
            row[i] = effect[i] + (float)(noise * 4e-3);
        }
    }

    private sealed class Owner(IRunLedger ledger, long runId, string name)
    {
        public long RunId => runId;
        public string Name => name;
        public void Renew()
        {
            if (!ledger.Renew(runId, name, Lease, DateTime.UtcNow)) throw new InvalidOperationException($"run {runId}: lost its lease");
        }
    }

    /// <summary>Finds the complete run of this identity, or claims and computes it.</summary>
    private static long Run(ScaleStore store, long datasetId, string kind, string identity, Action<string> log, Action<Owner> compute)
    {
        var run = store.Ledger.Ensure(datasetId, kind, identity, "{\"bench\":\"scale\"}", []);
        if (run.IsComplete) return run.Id;
        string owner = $"bench-scale:{Environment.ProcessId}";
        var clock = Stopwatch.StartNew();
        if (store.Ledger.TryClaim(run.Id, owner, Lease, DateTime.UtcNow) is null)
            throw new InvalidOperationException($"run {run.Id} ({identity}) is held by another process ({run.LeaseOwner}); wait for it or for its lease to expire");
        try
        {
            compute(new Owner(store.Ledger, run.Id, owner));
        }
        catch (Exception e)
        {
            store.Ledger.Fail(run.Id, owner, e.Message, clock.Elapsed.TotalSeconds);
            throw;
        }
        store.Ledger.Complete(run.Id, owner, "{}", clock.Elapsed.TotalSeconds);
        log($"{kind}: run {run.Id} ({clock.Elapsed.TotalSeconds:F1} s)");
        return run.Id;
    }

    private static DatasetImport Import(ScaleShape shape)
    {
        var random = new Random(shape.Seed);
        var categories = Enumerable.Range(1, Categories).Select(c => new Category(c, $"class-{c}", "synthetic", c)).ToList();
        int images = shape.Train + shape.HeldOut;
        long annotationId = 0;
        var list = new List<ImportedImage>(images);
        for (int j = 0; j < images; j++)
        {
            bool isTrain = j < shape.Train;
            int objects = shape.Objects / images + (j < shape.Objects % images ? 1 : 0);
            var annotations = new List<ImportedAnnotation>(objects);
            for (int o = 0; o < objects; o++)
            {
                int x = random.Next(Width - 64), y = random.Next(Height - 64), w = 8 + random.Next(56), h = 8 + random.Next(56);
                int start = y * Width + x, run = w * h;
                annotations.Add(new ImportedAnnotation(++annotationId, 1 + random.Next(Categories), false,
                    new RleMask(Height, Width, [start, run, Height * Width - start - run]), [x, y, w, h], run));
            }
            long cocoId = isTrain ? j + 1 : 1_000_000 + j - shape.Train + 1;
            list.Add(new ImportedImage(cocoId, isTrain ? Splits.Train : Splits.Val, $"{(isTrain ? "train" : "val")}/{cocoId:D12}.jpg", Width, Height, annotations));
        }
        var planted = Enumerable.Range(1, shape.Train).Where(_ => random.NextDouble() < 0.01)
            .Select(id => new PlantedErrorByCocoId(id, "wrong-class", "bench scale")).ToList();
        return new DatasetImport(shape.DatasetName, "bench-scale-images", "precompute bench scale (synthetic)", categories, list, planted);
    }
}
