using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Training;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Targets;
using AttributionExplorer.Worker.Evaluations;
using AttributionExplorer.Worker.Pipeline;
using AttributionExplorer.Worker.Pipeline.Trak;
using AttributionExplorer.Worker.Plugins;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>`precompute study lds`: TRAK's linear datamodeling score against the number of independently trained
/// models (1, 2, 4, 8, 16), from their final checkpoints and with trajectory checkpoints, per target kind and per
/// class-target variant. Every model and TRAK stage is a ledger run (reused when rerun, so a bigger study only adds);
/// the figures are an evaluation run of kind "eval.lds_ensemble" that the evaluation page plots.</summary>
public static class LdsStudy
{
    /// <returns>The figures run, or null when <see cref="LdsStudyConfig.Subsets"/> is 0 (the ensemble and its TRAK
    /// scores prepared only, e.g. by a second process while another trains the subset models).</returns>
    public static RunOutcome<LdsEnsembleResult>? Run(PipelineContext context, LdsStudyConfig config, Action<string> log)
    {
        config.Validate();
        var clock = Stopwatch.StartNew();
        var dataset = LdsStudyData.Ensure(context, config, log);
        var demo = context.Options.Demo;
        var model = new ModelOptions
        {
            ImageSize = config.ModelSize, BaseWidth = demo.Model.BaseWidth, BlocksPerStage = demo.Model.BlocksPerStage,
            AsppChannels = demo.Model.AsppChannels, AsppRates = demo.Model.AsppRates,
        };
        var training = demo.Training.WithEpochs(config.Epochs);
        training.Threads = config.Threads;
        if (config.Schedule is { } schedule) training.Schedule = schedule;
        if (config.Optimizer is { } optimizer) training.Optimizer = optimizer;
        if (config.LearningRate is { } rate) training.LearningRate = rate;
        if (config.WarmupEpochs is { } warmup) training.WarmupEpochs = warmup;
        // The study keeps its own trajectory checkpoints (LdsStudyTrainParameters.Trajectory); subset models keep their final one.
        training.TrajectoryEpochs = 1;
        TorchThreads.Configure(config.Threads);
        var categories = context.Datasets.GetCategories(dataset.Id);
        int classes = categories.Count + 1;
        var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, config.ModelSize);
        var val = DatabaseExamples.Load(context.Datasets, dataset, Splits.Val, config.ModelSize);
        log($"{train.Count} train, {val.Count} held-out at {config.ModelSize} px; {config.Models} runs × {config.Trajectory} checkpoints, " +
            $"{config.Subsets} subset models (α = {config.Alpha}), k = {config.K}");

        var runs = LdsStudyTraining.Ensemble(context, dataset, model, training, classes, config.Models, config.Trajectory, train, val, log);
        var subsets = SubsetSampler.Sample(train.Count, config.Alpha, config.Subsets, config.SubsetSeed);
        var subsetRuns = LdsStudyTraining.Subsets(context, dataset, model, training, classes, subsets, config.Alpha, config.SubsetSeed, train, log,
            sameSeed: config.SameSeed);
        // Round r trains every subset under seed offset r·ReplicateSeedOffset; round 1 doubles as the replicates.
        var rounds = new List<IReadOnlyList<RunRecord>> { subsetRuns };
        for (int round = 1; round < config.SeedsPerSubset; round++)
            rounds.Add(LdsStudyTraining.Subsets(context, dataset, model, training, classes, subsets, config.Alpha, config.SubsetSeed, train, log,
                round * LdsStudyTraining.ReplicateSeedOffset, config.SameSeed));
        var replicateRuns = rounds.Count > 1 ? rounds[1]
            : LdsStudyTraining.Subsets(context, dataset, model, training, classes, subsets.Take(config.Replicates).ToList(), config.Alpha,
                config.SubsetSeed, train, log, LdsStudyTraining.ReplicateSeedOffset, config.SameSeed);
        log($"models ready ({clock.Elapsed.TotalSeconds:0}s)");

        var kinds = PlanTargets(context, config, runs, model, classes, categories, val, log);
        try
        {
            log($"targets: {string.Join(", ", kinds.Select(k => $"{k.Kind} {k.Plan.Targets.Count}"))}");
            var projection = new TrakProjection(config.K, "gaussian", 0, context.Options.Demo.Trak.GradientBatchSize);
            var scores = LdsStudyTrak.Scores(context, dataset, runs, kinds, model, classes, projection, config.Lambda, config.Threads, train, val, log,
                // "loss" and null both mean the product's features, recorded as null so their kernels are the same runs.
                config.TrainFeatures == LdsStudyTrak.MarginFeatures ? LdsStudyTrak.MarginFeatures : null);
            if (subsets.Length == 0)
            {
                log($"no subset models asked for (--subsets 0): ensemble and TRAK scores prepared, no figures ({clock.Elapsed.TotalSeconds:0}s)");
                return null;
            }
            var settings = new
            {
                dataset = dataset.Name, sceneSeed = config.SceneSeed, train = train.Count, heldOut = val.Count, config.ModelSize, model.BaseWidth,
                config.Epochs, training.BatchSize, training.LearningRate, training.Schedule, training.WarmupEpochs, training.Optimizer, momentum = TrainRunParameters.Of(model, training, 0, classes).Momentum, models = config.Models, checkpointsPerRun = config.Trajectory,
                config.Subsets, config.Alpha, config.SubsetSeed, subsetModelSeeds = config.SameSeed ? "one seed for every subset" : "seed subsetSeed·1000 + j", config.Replicates,
                seedsPerSubset = config.SeedsPerSubset, trainFeatures = config.TrainFeatures ?? "loss", references = "foreground share, planted errors, shared component, TRAK shared and target-specific parts", groundTruthBatchNorm = config.RecalibrateBatchNorm ? "re-estimated on the whole training set" : "as trained", groundTruth = config.SeedsPerSubset == 1 ? "one model per subset" : $"mean output of {config.SeedsPerSubset} seeds per subset", k = config.K, config.Lambda, projection = "gaussian, seed 0",
                kinds = kinds.Select(k => k.Kind).ToArray(), defaultClassTarget = PluginRegistry.DefaultClassTarget,
            };
            var upstream = rounds.SelectMany(r => r).Concat(replicateRuns).Distinct().Select(r => r.Id).Concat(runs.Select(r => r.Run.Id)).ToList();
            var outcome = context.Runs.Execute(dataset.Id, dataset.Version,
                new EvaluationParameters(EvaluationKinds.LdsEnsemble, JsonSerializer.SerializeToElement(settings)), upstream, scope =>
                {
                    var outputs = kinds.SelectMany(k => k.Plan.Targets.Select(t => (t.ExampleIndex, t.Output))).ToList();
                    double[] Outputs(RunRecord run)
                    {
                        using var network = LdsStudyTraining.Load(context, run, LdsStudyTraining.ModelArtifact, model, classes);
                        if (config.RecalibrateBatchNorm) BatchNormRecalibration.Recalibrate(network, train);
                        return OutputEvaluator.Values(network, val, outputs);
                    }
                    var perRound = rounds.Select((runs, r) => (IReadOnlyList<double[]>)runs.Select((run, j) => scope.Unit(r == 0 ? $"subset{j}" : $"subset{j}-seed{r}", () => Outputs(run))).ToList()).ToList();
                    var actual = LdsStudyFigures.MeanOverSeeds(perRound);
                    var replicates = rounds.Count > 1 ? perRound[1]
                        : replicateRuns.Select((run, j) => scope.Unit($"replicate{j}", () => Outputs(run))).ToList();
                    var firstSeed = perRound[0];
                    var names = kinds.Select(k => k.Kind).ToList();
                    var byKind = ByKind(actual, kinds);
                    var points = LdsStudyFigures.Points(names, scores, config.ModelCounts, subsets, byKind);
                    var ceilings = replicates.Count == 0 ? null
                        : LdsStudyFigures.Ceilings(names, ByKind(firstSeed.Take(replicates.Count).ToList(), kinds), ByKind(replicates, kinds));
                    var planted = context.Datasets.GetPlantedErrors(dataset.Id).Select(e => e.ImageId).ToHashSet();
                    var references = LdsStudyFigures.References(names, subsets, byKind,
                    [
                        (LdsStudyFigures.ForegroundShare, train.Examples.Select(e => LdsStudyFigures.ForegroundFraction(e.Labels)).ToList()),
                        (LdsStudyFigures.PlantedErrors, train.Examples.Select(e => planted.Contains(e.ImageId) ? 1.0 : 0.0).ToList()),
                    ]).Concat(LdsStudyFigures.Decomposition(names,
                        names.Select((_, k) => LdsStudyFigures.Mean(scores.Take(config.ModelCounts.Max()).SelectMany(run => run).Select(c => c[k]).ToList())).ToList(),
                        subsets, byKind)).ToList();
                    return new LdsEnsembleResult(train.Count, val.Count, subsets.Length, config.Alpha, subsets[0].Length, config.K,
                        config.Trajectory, PluginRegistry.DefaultClassTarget, points, ceilings, config.SeedsPerSubset, references);
                });
            log($"figures: run {outcome.Run.Id} (eval.{EvaluationKinds.LdsEnsemble}, {(outcome.Reused ? "reused" : "computed")}), {clock.Elapsed.TotalSeconds:0}s in all");
            foreach (var line in LdsStudyFigures.Table(outcome.Result)) log(line);
            return outcome;
        }
        finally
        {
            foreach (var k in kinds) k.Plan.Dispose();
        }
    }

    /// <summary>Per kind, [models][targets] from the outputs of every planned target in kind order.</summary>
    private static List<double[][]> ByKind(IReadOnlyList<double[]> outputs, IReadOnlyList<KindTargets> kinds)
    {
        var byKind = new List<double[][]>();
        int offset = 0;
        foreach (var kind in kinds)
        {
            int start = offset, count = kind.Plan.Targets.Count;
            byKind.Add(outputs.Select(a => a.AsSpan(start, count).ToArray()).ToArray());
            offset += count;
        }
        return byKind;
    }

    /// <summary>Image, every class-target variant and (if asked) object targets. Predicted pixels come from the final
    /// checkpoints of all the ensemble's runs, so they are the same targets for every ensemble size measured.</summary>
    private static List<KindTargets> PlanTargets(PipelineContext context, LdsStudyConfig config, IReadOnlyList<EnsembleRun> runs, ModelOptions model,
        int classes, IReadOnlyList<Category> categories, InMemorySegmentationSource val, Action<string> log)
    {
        var predictions = new Dictionary<long, List<byte[]>>();
        foreach (var run in runs)
        {
            using var network = LdsStudyTraining.Load(context, run.Run, LdsStudyTraining.EpochArtifact(run.Epochs[^1]), model, classes);
            foreach (var (imageId, labels) in SegmentationPredictor.Predict(network, val))
                (predictions.TryGetValue(imageId, out var list) ? list : predictions[imageId] = []).Add(labels);
        }
        var kinds = new List<ITargetKind> { PluginRegistry.TargetKinds.Single(k => k.Info.Name == TargetKinds.Image) };
        kinds.AddRange(PluginRegistry.ClassTargetVariants);
        if (config.Objects) kinds.Add(PluginRegistry.TargetKinds.Single(k => k.Info.Name == TargetKinds.Object));
        var predictionRuns = runs.Select(r => r.Run.Id).ToArray();
        var planned = kinds.Select(kind => new KindTargets(kind.Info.Name, TrakScoreParameters.OutputByKind[kind.Info.Name],
            TargetPlanner.Plan(val, categories, id => context.Datasets.GetImage(id)!, context.Datasets.GetAnnotations, [kind], id => predictions[id]),
            kind.Info.Name == TargetKinds.ClassPredictedPixels ? predictionRuns : [])).ToList();
        foreach (var empty in planned.Where(k => k.Plan.Targets.Count == 0))
        {
            log($"no {empty.Kind} targets on the held-out images (e.g. the ensemble predicts none of their classes): that kind is not measured");
            empty.Plan.Dispose();
        }
        return planned.Where(k => k.Plan.Targets.Count > 0).ToList();
    }
}
