using System.CommandLine;

namespace AttributionExplorer.Worker.Study;

/// <summary>`precompute study label-errors`: the label-error study in memory (no database), figures printed and
/// written as JSON. Not part of CI beyond a tiny plumbing run.</summary>
public static class StudyCommand
{
    public static Command Create()
    {
        var command = new Command("study", "research measurements: label-errors (generated data, in memory, no database) and lds (ledger runs, figures on the evaluation page)");
        var train = Int("--train", "training images", 600);
        var val = Int("--val", "held-out images (attribution targets)", 60);
        var sceneSeed = Int("--scene-seed", "seed of the generated scenes", 4321);
        var plantingSeeds = new Option<string>("--planting-seeds") { Description = "comma-separated planting seeds (never the demo's 1234)", DefaultValueFactory = _ => "1" };
        var rates = new Option<string>("--rates") { Description = "comma-separated label-error rates", DefaultValueFactory = _ => "0.1" };
        var kinds = new Option<string>("--kinds") { Description = "comma-separated error kinds (default: all)", DefaultValueFactory = _ => "" };
        var epochs = Int("--epochs", "training epochs", 8);
        var models = Int("--models", "independently seeded training runs", 4);
        var trajectory = Int("--trajectory", "checkpoints kept per run (its last epochs)", 2);
        var k = Int("--k", "TRAK projection dimension", 128);
        var lambda = new Option<double>("--lambda") { Description = "ridge relative to the mean diagonal of ΦᵀΦ", DefaultValueFactory = _ => 1e-3 };
        var folds = Int("--folds", "folds of the out-of-sample confidence", 4);
        var modelSize = Int("--model-size", "model input side (px)", 64);
        var imageSize = Int("--image-size", "generated image side (px)", 96);
        var threads = Int("--threads", "libtorch intra-op threads", 1);
        var resamples = Int("--resamples", "bootstrap resamples", 1000);
        var schedule = new Option<string?>("--schedule") { Description = "learning-rate schedule of every model: plateau or cosine (default: the demo's)" };
        var output = new Option<string>("--out") { Description = "JSON file for the figures", DefaultValueFactory = _ => "study-label-errors.json" };
        var work = new Option<string>("--work") { Description = "folder for generated datasets (made fresh per run)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "ae-study") };
        var labelErrors = new Command("label-errors", "plant errors, train an ensemble, featurize TRAK, score every detector: AUROC / AP / P@5% with 95% bootstrap intervals, overall and per error kind")
            { train, val, sceneSeed, plantingSeeds, rates, kinds, epochs, models, trajectory, k, lambda, folds, modelSize, imageSize, threads, resamples, schedule, output, work };
        labelErrors.SetAction(r =>
        {
            var config = new StudyConfig(r.GetValue(train), r.GetValue(val), r.GetValue(sceneSeed), Ints(r.GetValue(plantingSeeds)!),
                r.GetValue(rates)!.Split(',').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                r.GetValue(kinds)!, r.GetValue(epochs), r.GetValue(models), r.GetValue(trajectory), r.GetValue(k), r.GetValue(lambda),
                r.GetValue(folds), r.GetValue(modelSize), r.GetValue(imageSize), r.GetValue(threads), r.GetValue(resamples), r.GetValue(work)!, r.GetValue(schedule));
            if (config.Schedule is { } chosen && Core.Training.LearningRateSchedules.Problem(chosen) is { } problem)
                throw new ArgumentException($"--schedule {problem}, got {chosen}");
            LabelErrorStudy.Run(config, r.GetValue(output)!, Console.WriteLine);
            return 0;
        });
        command.Subcommands.Add(labelErrors);
        command.Subcommands.Add(Lds.LdsStudyCommand.Create());
        return command;
    }

    private static Option<int> Int(string name, string description, int value) => new(name) { Description = description, DefaultValueFactory = _ => value };

    private static int[] Ints(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}
