using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Serve;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Precompute.Tests.Pipeline;

/// <summary>The whole demo job on a tiny configuration: generate → import → train 2 seeds → TRAK → SQLite, then a
/// rerun that must skip every completed step.</summary>
public class DemoPipelineTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ae-pipeline").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    private AppOptions Options() => TinyDemo.Options(root);

    [Fact]
    public void StoresScoresForEveryHeldOutTimesTrainingImageAndSkipsCompletedWorkOnRerun()
    {
        var context = new PipelineContext(Options());
        var (dataset, runId) = TinyDemo.Run(context);

        var checkpoints = context.Checkpoints.List(dataset.Id);
        Assert.Equal(new[] { (0, 1), (0, 2), (1, 1), (1, 2) }, checkpoints.Select(c => (c.Seed, c.Epoch)));
        Assert.Equal(2, checkpoints.Select(c => c.RunId).Distinct().Count());
        Assert.Equal(4, checkpoints.Select(c => c.Path).Distinct().Count());
        Assert.All(checkpoints, c => Assert.Contains("\"seed\":" + c.Seed, c.HyperparametersJson));
        Assert.Equal(2, context.Datasets.GetPlantedErrors(dataset.Id).Count);
        var run = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        Assert.Equal(runId, run.Id);
        Assert.Contains("\"projectionSeed\":0", run.ParametersJson);
        var val = context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 100);
        Assert.Equal(4, val.Count);
        foreach (var image in val)
        {
            var target = Assert.Single(context.Scores.GetTargets(run.Id, image.Id));
            var scores = context.Scores.GetScores(target.Id);
            Assert.Equal(20, scores.Length);
            Assert.All(scores, s => Assert.True(float.IsFinite(s)));
            Assert.Contains(scores, s => s != 0);
            Assert.Equal(5, context.Scores.GetInfluencers(target.Id, true, 0, 10).Count);
            Assert.NotNull(context.Checkpoints.GetPrediction(checkpoints[0].Id, image.Id));
        }
        // Training images: the final checkpoint of each run stored its predictions (the lightbox's disagreement layer).
        foreach (var image in context.Datasets.GetImages(dataset.Id, Splits.Train, 0, 100))
            Assert.Equal([false, true, false, true], checkpoints.Select(c => context.Checkpoints.GetPrediction(c.Id, image.Id) is not null));
        Assert.Equal(20, context.TrainRankings.Count(run.Id));
        AssertClassAndObjectTargets(context, dataset, val);
        AssertConfidenceRanksEveryTrainingImageLowestQualityFirst(context, dataset);
        AssertHeldOutObjectDetectorEqualsItsBruteForce(context, dataset);
        AssertSuspectIsTheMaximumOfItsComponentsNormalizedRanks(context, dataset);
        AssertObjectConfidenceRanksEveryTrainingAnnotationWithItsImage(context, dataset);
        AssertOutOfSampleConfidenceIsLeftToItsCommandAndResumesByFold(context, dataset);
        AssertOnDemandRegionJobsRoundTrip(context, dataset, val);
        AssertSimilarityRankingsAndAgreement(context, dataset, val);
        AssertImportedClipEmbeddingsAreRanked(context, dataset);

        int runsBefore = context.Ledger.List(dataset.Id).Count;
        var again = new PipelineContext(Options());
        var (_, rerunId) = TinyDemo.Run(again);
        Assert.Equal(runId, rerunId);
        Assert.Equal(runsBefore, again.Ledger.List(dataset.Id).Count);
        Assert.DoesNotContain(again.Summary, s => s.Step.StartsWith("train") || s.Step.StartsWith("TRAK") || s.Step == "MoCo");
        Assert.DoesNotContain(again.Ledger.List(dataset.Id), r => r.State is Core.Runs.RunState.Queued or Core.Runs.RunState.Running);
        Assert.Equal(new[] { "trak/image", "trak/class", "trak/object", "esvm/image", "esvm/class", "moco/image", "moco/class", "influence/train", "confidence/train",
                "loss/train", "self-influence/train", "heldout-objects/train", "train-others/train", "suspect/train", "object-confidence/train-objects", "confidence-oos/train", "trak/region",
                "clip/image", "clip/class" },
            again.RankingRuns.ListComplete(dataset.Id).Select(r => $"{r.Method}/{r.TargetKind}"));
        Assert.Equal(4, again.Checkpoints.List(dataset.Id).Count);

        AssertMovedDataDirectoryStillWorks(dataset, runsBefore);
    }

    /// <summary>The database and the data folder moved elsewhere together: the demo reuses every run (no new one) and an
    /// on-demand job still finds its checkpoints and scoring matrices, because stored paths are relative to the data root.</summary>
    private void AssertMovedDataDirectoryStillWorks(DatasetInfo dataset, int runs)
    {
        SqliteConnection.ClearAllPools();
        string moved = root + "-moved";
        Directory.Move(root, moved);
        try
        {
            var context = new PipelineContext(TinyDemo.Options(moved));
            TinyDemo.Run(context);
            Assert.Equal(runs, context.Ledger.List(dataset.Id).Count);
            Assert.StartsWith(moved, context.Datasets.Get(dataset.Id)!.ImageRoot);
            Assert.All(context.Checkpoints.List(dataset.Id), c => Assert.True(File.Exists(c.Path), c.Path));
            var image = context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 1)[0];
            var whole = RleCodec.Encode(Enumerable.Repeat(true, image.Height * image.Width).ToArray(), image.Height, image.Width);
            long job = context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, System.Text.Json.JsonSerializer.Serialize(
                new RegionJobRequest(image.Id, image.Height, image.Width, RleCodec.ToCompressedString(whole.Counts)), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
            using (var loop = new JobLoop(context, _ => { })) Assert.Equal(1, loop.Drain());
            Assert.True(context.Jobs.Get(job)!.Status == JobStatus.Done, context.Jobs.Get(job)!.Error);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(moved, root);
        }
    }

    /// <summary>A worker that claimed a job and died (its lease is never renewed) does not strand the job: once the lease
    /// expires, another worker claims it (attempt 2) and finishes it.</summary>
    [Fact]
    public void AJobOfAKilledWorkerIsDoneByTheNextWorkerOnceItsLeaseExpires()
    {
        var context = new PipelineContext(Options(), lease: TimeSpan.FromMilliseconds(300));
        var (dataset, _) = TinyDemo.Run(context);
        var image = context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 1)[0];
        var whole = RleCodec.Encode(Enumerable.Repeat(true, image.Height * image.Width).ToArray(), image.Height, image.Width);
        long job = context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, System.Text.Json.JsonSerializer.Serialize(
            new RegionJobRequest(image.Id, image.Height, image.Width, RleCodec.ToCompressedString(whole.Counts)), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        var claimed = context.Ledger.ClaimNext(["job." + JobKinds.TrakRegion], "killed-worker", TimeSpan.FromMilliseconds(300), DateTime.UtcNow, JobLoop.MaxAttempts);
        Assert.Equal(job, claimed!.Id);

        var next = new PipelineContext(Options(), lease: TimeSpan.FromMilliseconds(300));
        using (var loop = new JobLoop(next, _ => { })) Assert.Equal(0, loop.Drain());
        Assert.Equal(JobStatus.Running, next.Jobs.Get(job)!.Status);
        Thread.Sleep(400);
        using (var loop = new JobLoop(next, _ => { })) Assert.Equal(1, loop.Drain());
        var done = next.Jobs.Get(job)!;
        Assert.True(done.Status == JobStatus.Done, done.Error);
        Assert.Equal(2, next.Ledger.Get(job)!.Attempts);
    }

    /// <summary>The confidence plug-in (registered, run by the demo) ranks all 20 training images, highest loss first.</summary>
    private static void AssertConfidenceRanksEveryTrainingImageLowestQualityFirst(PipelineContext context, DatasetInfo dataset)
    {
        var run = context.RankingRuns.GetLatestComplete(dataset.Id, "confidence", "train")!;
        var ranked = context.TrainRankings.Page(run.Id, 0, 100);
        Assert.Equal(20, ranked.Count);
        Assert.Equal(Enumerable.Range(1, 20), ranked.Select(r => r.Rank));
        Assert.Equal(ranked.Select(r => r.MeanScore).Order(), ranked.Select(r => r.MeanScore));
        Assert.All(ranked, r => Assert.InRange(r.MeanScore, 0f, 1f));
        // The detector read the command's kept predictions; a fresh forward pass of each final checkpoint, one image
        // at a time, gives the same label quality.
        var finals = Worker.Plugins.Confidence.ConfidenceRanking.FinalCheckpoints(context.Checkpoints.List(dataset.Id));
        var size = TrainStep.TrainParameters(context, finals[0]).Model.ImageSize;
        var train = global::AttributionExplorer.Precompute.Data.DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, size);
        var models = finals.Select(c => (TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)TrainStep.Load(context, c, context.Device)).ToList();
        try
        {
            var quality = global::AttributionExplorer.Precompute.Evaluation.LabelQualityScorer.Score(models, train, batchSize: 1);
            var byImage = train.ImageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => quality[x.i]);
            Assert.All(ranked, r => Assert.Equal(byImage[r.TrainImageId], r.MeanScore, 4));
        }
        finally { foreach (var m in models) m.Dispose(); }
    }

    /// <summary>Recomputed from the stored object targets by plain loops: per training image and class, the mean
    /// score over that class's held-out objects; the image's score is the lowest class mean; most negative first.</summary>
    private static void AssertHeldOutObjectDetectorEqualsItsBruteForce(PipelineContext context, DatasetInfo dataset)
    {
        var objectRun = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Object)!;
        var order = context.RankingRuns.GetTrainOrder(objectRun.Id);
        var targets = context.Scores.GetTargetsOfRun(objectRun.Id);
        var expected = new Dictionary<long, double>();
        for (int i = 0; i < order.Count; i++)
        {
            double worst = double.PositiveInfinity;
            foreach (var category in targets.Select(t => t.CategoryCocoId).Distinct())
            {
                double sum = 0;
                int count = 0;
                foreach (var t in targets.Where(t => t.CategoryCocoId == category)) { sum += context.Scores.GetScores(t.Id)[i]; count++; }
                worst = Math.Min(worst, sum / count);
            }
            expected[order[i]] = worst;
        }
        var run = context.RankingRuns.GetLatestComplete(dataset.Id, "heldout-objects", "train")!;
        var ranked = context.TrainRankings.Page(run.Id, 0, 100);
        Assert.Equal(20, ranked.Count);
        foreach (var r in ranked) Assert.Equal(expected[r.TrainImageId], r.MeanScore, 4);
        Assert.Equal(ranked.Select(r => r.MeanScore).Order(), ranked.Select(r => r.MeanScore));
    }

    private static void AssertObjectConfidenceRanksEveryTrainingAnnotationWithItsImage(PipelineContext context, DatasetInfo dataset)
    {
        var run = context.RankingRuns.GetLatestComplete(dataset.Id, "object-confidence", "train-objects")!;
        var ranked = context.TrainRankings.PageObjects(run.Id, 0, 1000);
        var annotations = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train)
            .SelectMany(p => p.Value.Where(a => !a.IsCrowd).Select(a => (a.Id, ImageId: p.Key))).ToList();
        Assert.Equal(annotations.Count, context.TrainRankings.CountObjects(run.Id));
        Assert.Equal(annotations.OrderBy(a => a.Id), ranked.Select(r => (r.AnnotationId, r.TrainImageId)).OrderBy(a => a.AnnotationId));
        Assert.Equal(Enumerable.Range(1, ranked.Count), ranked.Select(r => r.Rank));
        Assert.Equal(ranked.Select(r => r.Score).Order(), ranked.Select(r => r.Score));
        Assert.All(ranked, r => Assert.InRange(r.Score, 0f, 1f));
    }

    /// <summary>The K-fold detector costs K trainings: the demo leaves it out and names its command; run on its own it
    /// ranks every training image with one unit per fold, and a rerun reuses the run.</summary>
    private static void AssertOutOfSampleConfidenceIsLeftToItsCommandAndResumesByFold(PipelineContext context, DatasetInfo dataset)
    {
        Assert.Contains(context.Summary, s => s.Step == "rank confidence-oos" && s.Result.Contains("not in the demo"));
        Assert.Null(context.RankingRuns.GetLatestComplete(dataset.Id, "confidence-oos", "train"));
        var sizes = PipelineSizes.Of(context.Options, demo: true);
        var detector = (Worker.Plugins.ITrainImageDetector)Worker.Plugins.PluginRegistry.Method("confidence-oos");
        var run = detector.Ensure(context, dataset, sizes);
        var ranked = context.TrainRankings.Page(run.Id, 0, 100);
        Assert.Equal(20, ranked.Count);
        Assert.Equal(ranked.Select(r => r.MeanScore).Order(), ranked.Select(r => r.MeanScore));
        Assert.Equal(["fold0", "fold1", "fold2", "fold3"], context.Ledger.Units(run.Id).Select(u => u.Key).Order());
        Assert.Equal(run.Id, detector.Ensure(context, dataset, sizes).Id);
    }

    /// <summary>From the three stored component rankings: each image's normalized rank (n − rank + 1)/n per
    /// component; the suspect order is by the largest of them, then by their mean.</summary>
    private static void AssertSuspectIsTheMaximumOfItsComponentsNormalizedRanks(PipelineContext context, DatasetInfo dataset)
    {
        var components = new[] { "confidence", "heldout-objects", "self-influence" }
            .Select(m => context.TrainRankings.Page(context.RankingRuns.GetLatestComplete(dataset.Id, m, "train")!.Id, 0, 100).ToDictionary(r => r.TrainImageId, r => r.Rank))
            .ToList();
        int n = components[0].Count;
        var fractions = components[0].Keys.ToDictionary(id => id, id => components.Select(c => (n - c[id] + 1) / (double)n).ToArray());
        var run = context.RankingRuns.GetLatestComplete(dataset.Id, "suspect", "train")!;
        var ranked = context.TrainRankings.Page(run.Id, 0, 100);
        Assert.Equal(n, ranked.Count);
        for (int r = 1; r < ranked.Count; r++)
        {
            var (above, below) = (fractions[ranked[r - 1].TrainImageId], fractions[ranked[r].TrainImageId]);
            Assert.True(above.Max() > below.Max() || (above.Max() == below.Max() && above.Average() >= below.Average() - 1e-12),
                $"rank {r}: max {above.Max()} mean {above.Average()} is above max {below.Max()} mean {below.Average()}");
        }
    }

    private static void AssertClassAndObjectTargets(PipelineContext context, DatasetInfo dataset, IReadOnlyList<ImageRecord> val)
    {
        var classRun = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Class)!;
        var objectRun = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Object)!;
        var categories = context.Datasets.GetCategories(dataset.Id).ToDictionary(c => c.CocoId);
        foreach (var image in val)
        {
            var annotations = context.Datasets.GetAnnotations(image.Id);
            var classTargets = context.Scores.GetTargets(classRun.Id, image.Id);
            Assert.NotEmpty(classTargets);
            Assert.All(classTargets, t => Assert.True(categories.ContainsKey(t.CategoryCocoId!.Value)));
            Assert.Subset(annotations.Select(a => a.CategoryCocoId).ToHashSet(), classTargets.Select(t => t.CategoryCocoId!.Value).ToHashSet());
            var objectTargets = context.Scores.GetTargets(objectRun.Id, image.Id);
            Assert.All(objectTargets, t => Assert.False(annotations.Single(a => a.Id == t.AnnotationId).IsCrowd));
            Assert.True(objectTargets.Count >= 1 && objectTargets.Count <= annotations.Count(a => !a.IsCrowd));
            Assert.All(classTargets.Concat(objectTargets), t => Assert.All(context.Scores.GetScores(t.Id), s => Assert.True(float.IsFinite(s))));
        }
    }

    /// <summary>A region job for an object's own mask, scored from the stored scoring matrices, must reproduce the batch
    /// object-target scores; a job for a missing image fails with a message and does not stop the loop.</summary>
    private static void AssertOnDemandRegionJobsRoundTrip(PipelineContext context, DatasetInfo dataset, IReadOnlyList<ImageRecord> val)
    {
        var objectRun = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Object)!;
        var objectTarget = context.Scores.GetTargetsOfRun(objectRun.Id)[0];
        var image = val.Single(i => i.Id == objectTarget.ImageId);
        var annotation = context.Datasets.GetAnnotations(image.Id).Single(a => a.Id == objectTarget.AnnotationId);
        string request = System.Text.Json.JsonSerializer.Serialize(new RegionJobRequest(image.Id, image.Height, image.Width,
            RleCodec.ToCompressedString(annotation.Mask.Counts), "object mask"), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        long good = context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, request);
        long bad = context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, request.Replace($"\"imageId\":{image.Id}", "\"imageId\":999999"));

        using (var loop = new JobLoop(context, _ => { }))
            Assert.Equal(2, loop.Drain());

        var done = context.Jobs.Get(good)!;
        Assert.True(done.Status == JobStatus.Done, done.Error);
        // The serve loop reported its way through the job (the last note before the run completed).
        Assert.Equal((1.0, "saving the scores"), (done.Progress, done.ProgressNote));
        var expected = context.Scores.GetScores(objectTarget.Id);
        var actual = context.Scores.GetScores(done.ResultTargetId!.Value);
        var regionTarget = context.Scores.GetTarget(done.ResultTargetId.Value)!;
        Assert.Equal(TargetKinds.Region, regionTarget.Kind);
        // Its split-half (seed 0 against seed 1) is that of the batch object target it reproduces, up to near-ties.
        Assert.InRange(regionTarget.SplitHalf!.Value, objectTarget.SplitHalf!.Value - 0.1, objectTarget.SplitHalf.Value + 0.1);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-3 * scale + 1e-6, $"score {i}: {expected[i]} vs {actual[i]}");
        var failed = context.Jobs.Get(bad)!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("image 999999 does not exist", failed.Error);

        // An uploaded copy of the image, attributed against the ensemble's own prediction.
        string uploads = ImageLocation.UploadsFolder(context.DataRoot, dataset.Id);
        Directory.CreateDirectory(uploads);
        File.Copy(Path.Combine(dataset.ImageRoot, image.FileName), Path.Combine(uploads, "copy.png"));
        long uploadId = context.Datasets.AddUpload(dataset.Id, "copy.png", image.Width, image.Height);
        var whole = RleCodec.Encode(Enumerable.Repeat(true, image.Height * image.Width).ToArray(), image.Height, image.Width);
        long uploadJob = context.Jobs.Enqueue(dataset.Id, JobKinds.TrakRegion, System.Text.Json.JsonSerializer.Serialize(
            new RegionJobRequest(uploadId, image.Height, image.Width, RleCodec.ToCompressedString(whole.Counts)), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        using (var loop = new JobLoop(context, _ => { }))
            Assert.Equal(1, loop.Drain());
        var uploaded = context.Jobs.Get(uploadJob)!;
        Assert.True(uploaded.Status == JobStatus.Done, uploaded.Error);
        Assert.Contains("ensemble prediction", uploaded.ResultJson);
        Assert.Equal(uploadId, context.Scores.GetTarget(uploaded.ResultTargetId!.Value)!.ImageId);
        Assert.All(context.Scores.GetScores(uploaded.ResultTargetId.Value), s => Assert.True(float.IsFinite(s)));
    }

    private static void AssertSimilarityRankingsAndAgreement(PipelineContext context, DatasetInfo dataset, IReadOnlyList<ImageRecord> val)
    {
        var train = context.Datasets.GetImages(dataset.Id, Splits.Train, 0, 100);
        var trainAnnotations = context.Datasets.GetAnnotationsForSplit(dataset.Id, Splits.Train);
        var esvm = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Esvm, TargetKinds.Class)!;
        var moco = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.MocoCosine, TargetKinds.Image)!;
        Assert.Contains("\"C\":0.1", esvm.ParametersJson);
        // One embedding model: no ensemble to split, and the run says so instead of showing a figure.
        Assert.All(new[] { esvm, moco }, r => Assert.Equal((null, "one moco embedding model: there is no ensemble to split into halves"),
            (context.RankingRuns.GetReliability(r.Id)!.SplitHalf, context.RankingRuns.GetReliability(r.Id)!.Detail)));
        foreach (var target in context.Scores.GetTargetsOfRun(esvm.Id))
        {
            // Candidates are exactly the training images that contain the target's class; the rest are NaN.
            var scores = context.Scores.GetScores(target.Id);
            for (int i = 0; i < train.Count; i++)
            {
                bool contains = trainAnnotations.GetValueOrDefault(train[i].Id, []).Any(a => !a.IsCrowd && a.CategoryCocoId == target.CategoryCocoId);
                Assert.Equal(contains, !float.IsNaN(scores[i]));
            }
        }
        foreach (var image in val)
        {
            var target = Assert.Single(context.Scores.GetTargets(moco.Id, image.Id));
            Assert.All(context.Scores.GetScores(target.Id), s => Assert.InRange(s, -1.0001f, 1.0001f));
        }
        var mocoSet = context.Embeddings.GetLatest(dataset.Id, EmbeddingKinds.Moco)!;
        Assert.True(File.Exists(mocoSet.Source));
        Assert.Equal(24, context.Embeddings.GetVectors(mocoSet.Id).Count);

        var trakImage = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.Trak, TargetKinds.Image)!;
        var ids = new[] { context.Scores.GetTargets(trakImage.Id, val[0].Id)[0].Id, context.Scores.GetTargets(moco.Id, val[0].Id)[0].Id };
        var agreement = Assert.Single(context.Agreement.Get(ids));
        Assert.Equal(20, agreement.Candidates);
        Assert.InRange(agreement.OverlapAt10, 0, 1);
    }

    /// <summary>CLIP from an imported .npy + id list (file names and a COCO id), ranked and agreed like the others.</summary>
    private void AssertImportedClipEmbeddingsAreRanked(PipelineContext context, DatasetInfo dataset)
    {
        var images = context.Datasets.GetImages(dataset.Id, Splits.Train, 0, 100).Concat(context.Datasets.GetImages(dataset.Id, Splits.Val, 0, 100)).ToList();
        var random = new Random(3);
        var rows = images.Select(_ => Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        string npy = Path.Combine(root, "clip.npy"), idList = Path.Combine(root, "clip-ids.txt");
        NpyWriter.WriteFloat32(npy, rows);
        File.WriteAllLines(idList, images.Select((img, i) => i == 0 ? img.CocoId.ToString() : img.FileName));
        var clip = new ClipOptions { EmbeddingsNpyPath = npy, EmbeddingIdsPath = idList };
        SimilarityStep.ClipCosine(context, dataset, context.Options.Demo.Similarity, clip);
        AgreementStep.Run(context, dataset);

        var run = context.RankingRuns.GetLatestComplete(dataset.Id, AttributionMethods.ClipCosine, TargetKinds.Image)!;
        var target = context.Scores.GetTargets(run.Id, images[^1].Id).Single();
        var expected = Core.Similarity.CosineSimilarity.ToEach(rows[^1], rows.Take(20).ToArray());
        Assert.Equal(expected, context.Scores.GetScores(target.Id));

        File.WriteAllLines(idList, images.Select(img => img.FileName).Skip(1).Append("nope.png"));
        var e = Assert.Throws<InvalidDataException>(() => SimilarityStep.ClipCosine(context, dataset, context.Options.Demo.Similarity, clip));
        Assert.Contains("nope.png", e.Message);
        Assert.Contains(idList, e.Message);
    }
}
