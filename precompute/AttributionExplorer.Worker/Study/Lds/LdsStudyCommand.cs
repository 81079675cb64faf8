using System.CommandLine;
using System.Text.Json;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Study.Lds;

/// <summary>`precompute study lds`: the options and their defaults (the full study; CI runs a tiny one in-process).</summary>
public static class LdsStudyCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "dataset to measure on: used if the database has it, else generated with --scene-seed and imported under this name", DefaultValueFactory = _ => "lds-study" };
        var sceneSeed = Int("--scene-seed", "seed of the generated scenes (never the demo's 1234)", 4321);
        var train = Int("--train", "training images generated", 600);
        var val = Int("--val", "held-out images generated (the LDS targets)", 60);
        var imageSize = Int("--image-size", "generated image side (px)", 96);
        var modelSize = Int("--model-size", "model input side (px)", 64);
        var epochs = Int("--epochs", "training epochs of every model", 8);
        var models = Int("--models", "independently seeded training runs (the curve is measured at 1, 2, 4, 8, 16 up to this)", 16);
        var trajectory = Int("--trajectory", "checkpoints kept per run (its last epochs)", 2);
        var subsets = Int("--subsets", "α-subset models (the LDS ground truth); 0 = prepare the ensemble and its TRAK scores only", 48);
        var alpha = new Option<double>("--alpha") { Description = "fraction of the training images in each subset", DefaultValueFactory = _ => 0.5 };
        var subsetSeed = Int("--subset-seed", "seed of the subsets (model j is seeded subsetSeed·1000 + j)", 0);
        var k = Int("--k", "TRAK projection dimension", 128);
        var lambda = new Option<double>("--lambda") { Description = "ridge relative to the mean diagonal of ΦᵀΦ", DefaultValueFactory = _ => 1e-3 };
        var threads = Int("--threads", "libtorch intra-op threads", 1);
        var replicates = Int("--replicates", "retrain the first N subsets under a second seed: the seed-noise ceiling of LDS (0 = none)", 0);
        var sameSeed = new Option<bool>("--same-seed") { Description = "train every subset model under one seed (common initialization and shuffling seed) instead of one seed per subset" };
        var schedule = new Option<string?>("--schedule") { Description = "learning-rate schedule of every model: plateau or cosine (default: the demo's, Demo:Training:Schedule)" };
        var optimizer = new Option<string?>("--optimizer") { Description = "optimizer of every model: adam or sgd (momentum Demo:Training:Momentum; default: the demo's, Demo:Training:Optimizer)" };
        var learningRate = new Option<double?>("--learning-rate") { Description = "start learning rate of every model (default: the demo's, Demo:Training:LearningRate)" };
        var warmup = new Option<int?>("--warmup-epochs") { Description = "linear learning-rate warm-up epochs of every model (default: the demo's, Demo:Training:WarmupEpochs)" };
        var seedsPerSubset = Int("--seeds-per-subset", "train every subset under this many seeds and average their outputs into its ground truth (1 = one model per subset, as TRAK's LDS)", 1);
        var trainFeatures = new Option<string?>("--train-features") { Description = "TRAK train features: loss (the product's) or margin (gradients of the train image's full-image margin, Q applied at scoring)" };
        var recalibrate = new Option<bool>("--recalibrate-bn") { Description = "diagnostic: re-estimate each subset model's BatchNorm statistics on the whole training set before taking its outputs (not TRAK's LDS)" };
        var objects = new Option<bool>("--objects") { Description = "also measure object targets", DefaultValueFactory = _ => true };
        var output = new Option<string?>("--out") { Description = "also write the figures as JSON to this file" };
        var config = new Option<string?>("--config") { Description = "path of appsettings.json (default: $AE_HOME or ./appsettings.json)" };
        var command = new Command("lds", "LDS of TRAK against the number of independently trained models (1…16), final checkpoints vs with trajectory checkpoints, per target kind and class-target variant; stored as an eval.lds_ensemble run")
            { dataset, sceneSeed, train, val, imageSize, modelSize, epochs, models, trajectory, subsets, alpha, subsetSeed, k, lambda, threads, objects, replicates, sameSeed, schedule, optimizer, learningRate, warmup, seedsPerSubset, trainFeatures, recalibrate, output, config };
        command.SetAction(r =>
        {
            var study = new LdsStudyConfig(r.GetValue(dataset)!, r.GetValue(sceneSeed), r.GetValue(train), r.GetValue(val), r.GetValue(imageSize),
                r.GetValue(modelSize), r.GetValue(epochs), r.GetValue(models), r.GetValue(trajectory), r.GetValue(subsets), r.GetValue(alpha),
                r.GetValue(subsetSeed), r.GetValue(k), r.GetValue(lambda), r.GetValue(threads), r.GetValue(objects), r.GetValue(replicates), r.GetValue(sameSeed), r.GetValue(schedule), r.GetValue(seedsPerSubset), r.GetValue(trainFeatures), r.GetValue(recalibrate),
                r.GetValue(optimizer), r.GetValue(learningRate), r.GetValue(warmup));
            var context = new PipelineContext(WorkerSettings.Load(r.GetValue(config)));
            Console.WriteLine($"database: {context.Storage.Location}");
            var outcome = LdsStudy.Run(context, study, line => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"));
            if (r.GetValue(output) is { } path && outcome is not null)
                File.WriteAllText(path, JsonSerializer.Serialize(new { study, run = outcome.Run.Id, outcome.Result }, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }

    private static Option<int> Int(string name, string description, int value) => new(name) { Description = description, DefaultValueFactory = _ => value };
}
