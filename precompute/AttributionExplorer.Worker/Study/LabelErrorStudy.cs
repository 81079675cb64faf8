using System.Diagnostics;
using System.Text.Json;
using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Evaluation;
using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.LabelErrors;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Study;

/// <summary>Per planting seed and error rate: generate → train the ensemble (independent seeds × trajectory) and the
/// out-of-sample folds → TRAK per checkpoint → every detector → figures with bootstrap intervals.</summary>
public static class LabelErrorStudy
{
    public static void Run(StudyConfig config, string outputPath, Action<string> log)
    {
        if (config.PlantingSeeds.Contains(StudyConfig.DemoSeed))
            throw new ArgumentException($"planting seed {StudyConfig.DemoSeed} is the demo's: the study must not be tuned on the demo");
        var runs = new List<object>();
        foreach (int plantingSeed in config.PlantingSeeds)
            foreach (double rate in config.Rates)
            {
                var run = RunOne(config, plantingSeed, rate, log);
                runs.Add(run);
                File.WriteAllText(outputPath, JsonSerializer.Serialize(new { config, runs }, new JsonSerializerOptions { WriteIndented = true }));
            }
        log($"figures written to {Path.GetFullPath(outputPath)}");
    }

    private static StudyRun RunOne(StudyConfig config, int plantingSeed, double rate, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        var demo = new DemoOptions
        {
            Seed = config.SceneSeed, PlantingSeed = plantingSeed, LabelErrorRate = rate, ErrorKinds = config.Kinds,
            TrainImages = config.Train, ValImages = config.Val, ImageSize = config.ImageSize,
        };
        var modelOptions = demo.Model;
        modelOptions.ImageSize = config.ModelSize;
        var training = demo.Training.WithEpochs(config.Epochs);
        training.Threads = config.Threads;
        if (config.Schedule is { } schedule) training.Schedule = schedule;
        string folder = Path.Combine(config.WorkFolder, $"scene{config.SceneSeed}-plant{plantingSeed}-rate{rate:0.###}-n{config.Train}");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var data = StudyDataset.Generate(demo, folder, config.ModelSize);
        log($"== planting seed {plantingSeed}, rate {rate:0.###}: {data.Train.Count} train, {data.HeldOut.Count} held-out, {data.Errors.Count} errors " +
            $"({string.Join(", ", data.Errors.GroupBy(e => e.Kind).Select(g => $"{g.Key} {g.Count()}"))})");
        seconds["generate"] = Lap(clock);

        var device = torch.CPU;
        var ensemble = new List<DeepLabV3>();
        var finals = new List<DeepLabV3>();
        for (int s = 0; s < config.Models; s++)
        {
            var checkpoints = TrajectoryTrainer.Train(data.Train, modelOptions, training, s, config.Trajectory, device);
            ensemble.AddRange(checkpoints);
            finals.Add(checkpoints[^1]);
            log($"model seed {s}: {checkpoints.Count} checkpoints ({clock.Elapsed.TotalSeconds:0}s)");
        }
        seconds["train_ensemble"] = Lap(clock);
        var (foldOf, foldModels) = OutOfSampleConfidence.Train(data.Train, modelOptions, training, config.Folds, plantingSeed, device, log);
        seconds["train_folds"] = Lap(clock);

        var modules = ensemble.Cast<nn.Module<Tensor, Tensor>>().ToList();
        var finalModules = finals.Cast<nn.Module<Tensor, Tensor>>().ToList();
        var targets = StudyTargets.Plan(data);
        log($"{targets.Count} held-out targets ({string.Join(", ", targets.GroupBy(t => t.Kind).Select(g => $"{g.Key} {g.Count()}"))})");
        var settings = new TrakSettings(config.K, ProjectionKind.Gaussian, 0, config.Lambda, 16, config.Threads);
        var perCheckpoint = TrakLabelErrorScores.Compute(modules, data.Train, data.HeldOut, targets, settings, log);
        seconds["trak"] = Lap(clock);
        foreach (var (spectrum, m) in perCheckpoint.Select((c, m) => (c.Spectrum, m)))
            foreach (var warning in Core.LabelErrors.KernelRegime.Warnings(spectrum.N, spectrum.K, spectrum.MinEigenvalue, spectrum.MaxEigenvalue, spectrum.Ridge, spectrum.EigenvaluesBelowRidge))
                log($"WARNING degenerate regime, checkpoint {m + 1}: {warning}");

        var inSample = InSampleQuality(finalModules, data);
        var outOfSample = OutOfSampleConfidence.ImageQuality(data.Train, foldOf, foldModels);
        var objectIn = ObjectConfidence.Score(data.Train, data.TrainObjects, _ => finalModules);
        var objectOut = ObjectConfidence.Score(data.Train, data.TrainObjects, e => [foldModels[foldOf[e]]]);
        seconds["confidence"] = Lap(clock);

        var detectors = StudyDetectors.Images(perCheckpoint, targets, inSample, outOfSample);
        var objectDetectors = StudyDetectors.Objects(data.TrainObjects, detectors, objectIn, objectOut);
        var report = StudyFigures.Build(data, detectors, objectDetectors, perCheckpoint, config.Trajectory, targets, config.Resamples, plantingSeed);
        seconds["figures"] = Lap(clock);
        foreach (var line in StudyFigures.Table(report)) log(line);
        log($"seconds: {string.Join(", ", seconds.Select(p => $"{p.Key} {p.Value:0}"))}; total {seconds.Values.Sum():0}");
        foreach (var m in ensemble.Concat(foldModels)) m.Dispose();
        var kinds = Enumerable.Repeat<string?>(null, data.Train.Count).ToArray();
        foreach (var e in data.Errors) kinds[e.ExampleIndex] = e.Kind;
        return new StudyRun(plantingSeed, rate, data.Train.Count, data.Errors.Count, seconds, perCheckpoint.Select(c => c.Spectrum).ToList(), report,
            kinds, detectors);
    }

    private static double[] InSampleQuality(IReadOnlyList<nn.Module<Tensor, Tensor>> models, StudyDataset data) =>
        Precompute.Evaluation.LabelQualityScorer.Score(models, data.Train);

    private static double Lap(Stopwatch clock)
    {
        double s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}

public sealed record StudyRun(int PlantingSeed, double Rate, int Train, int Errors, IReadOnlyDictionary<string, double> Seconds,
    IReadOnlyList<KernelSpectrum> Spectra, StudyReport Report, string?[] ErrorKindOfImage, IReadOnlyDictionary<string, double[]> ImageScores);
