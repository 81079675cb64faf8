using AttributionExplorer.Core.Training;
namespace AttributionExplorer.Core.Options;

/// <summary>Every setting checked once at start-up, each problem named by its appsettings key
/// ("AttributionExplorer:Trak:ProjectionDim = 0: must be ≥ 1"), so a bad value stops the program before any work.</summary>
public static class OptionsProblems
{
    public static IReadOnlyList<string> Of(AppOptions options)
    {
        var problems = new List<string>();
        void Check(bool ok, string key, object value, string rule)
        {
            if (!ok) problems.Add($"{AppOptions.Section}:{key} = {value}: {rule}");
        }
        Check(options.DatabasePath.Trim().Length > 0, "DatabasePath", "''", "must name the SQLite file");
        Check(options.DataRoot.Trim().Length > 0, "DataRoot", "''", "must name the data folder");
        Check(options.Device == "cpu" || options.Device == "cuda" || options.Device.StartsWith("cuda:", StringComparison.Ordinal), "Device", options.Device, "must be cpu, cuda or cuda:N");
        foreach (var (prefix, model) in new[] { ("Model", options.Model), ("Demo:Model", options.Demo.Model) })
        {
            Check(model.ImageSize >= 16, $"{prefix}:ImageSize", model.ImageSize, "must be ≥ 16");
            Check(model.BaseWidth >= 1, $"{prefix}:BaseWidth", model.BaseWidth, "must be ≥ 1");
            Check(model.BlocksPerStage >= 1, $"{prefix}:BlocksPerStage", model.BlocksPerStage, "must be ≥ 1");
            Check(model.AsppChannels >= 1, $"{prefix}:AsppChannels", model.AsppChannels, "must be ≥ 1");
            Check(model.AsppRates.Length > 0 && model.AsppRates.All(r => r >= 1), $"{prefix}:AsppRates", string.Join(", ", model.AsppRates), "must be one or more rates ≥ 1");
        }
        foreach (var (prefix, training) in new[] { ("Training", options.Training), ("Demo:Training", options.Demo.Training) })
        {
            Check(training.Epochs >= 1, $"{prefix}:Epochs", training.Epochs, "must be ≥ 1");
            Check(training.BatchSize >= 1, $"{prefix}:BatchSize", training.BatchSize, "must be ≥ 1");
            Check(training.LearningRate > 0, $"{prefix}:LearningRate", training.LearningRate, "must be > 0");
            Check(training.WeightDecay >= 0, $"{prefix}:WeightDecay", training.WeightDecay, "must be ≥ 0");
            Check(training.PlateauFactor is > 0 and <= 1, $"{prefix}:PlateauFactor", training.PlateauFactor, "must be in (0, 1]");
            Check(training.PlateauPatience >= 0, $"{prefix}:PlateauPatience", training.PlateauPatience, "must be ≥ 0");
            var scheduleProblem = LearningRateSchedules.Problem(training.Schedule);
            Check(scheduleProblem is null, $"{prefix}:Schedule", training.Schedule, scheduleProblem ?? "");
            var optimizerProblem = Optimizers.Problem(training.Optimizer);
            Check(optimizerProblem is null, $"{prefix}:Optimizer", training.Optimizer, optimizerProblem ?? "");
            Check(training.WarmupEpochs >= 0 && training.WarmupEpochs < training.Epochs, $"{prefix}:WarmupEpochs", training.WarmupEpochs, $"must be 0…Epochs − 1 ({training.Epochs - 1})");
            Check(training.Momentum is >= 0 and < 1, $"{prefix}:Momentum", training.Momentum, "must be in [0, 1)");
            Check(training.Seeds.Length > 0 && training.Seeds.Distinct().Count() == training.Seeds.Length, $"{prefix}:Seeds", string.Join(", ", training.Seeds), "must be one or more distinct seeds");
            Check(training.TrajectoryEpochs >= 1 && training.TrajectoryEpochs <= training.Epochs, $"{prefix}:TrajectoryEpochs", training.TrajectoryEpochs, $"must be 1…Epochs ({training.Epochs})");
            Check(training.Threads >= 0, $"{prefix}:Threads", training.Threads, "must be ≥ 0 (0 = one thread)");
        }
        foreach (var (prefix, trak) in new[] { ("Trak", options.Trak), ("Demo:Trak", options.Demo.Trak) })
        {
            Check(trak.ProjectionDim >= 0, $"{prefix}:ProjectionDim", trak.ProjectionDim, "must be ≥ 0 (0 = no projection, tiny models only)");
            Check(trak.ProjectionKind is "gaussian" or "rademacher" or "srht" or "structured", $"{prefix}:ProjectionKind", trak.ProjectionKind, "must be gaussian, rademacher, srht or structured");
            Check(trak.Lambda >= 0, $"{prefix}:Lambda", trak.Lambda, "must be ≥ 0");
            Check(trak.ScoreDtype is "float16" or "float32", $"{prefix}:ScoreDtype", trak.ScoreDtype, "must be float16 or float32");
            Check(trak.TopK >= 1, $"{prefix}:TopK", trak.TopK, "must be ≥ 1");
            Check(trak.GradientBatchSize >= 1, $"{prefix}:GradientBatchSize", trak.GradientBatchSize, "must be ≥ 1");
            Check(trak.GradientMethod is "loop" or "batched", $"{prefix}:GradientMethod", trak.GradientMethod, "must be loop or batched");
            Check(trak.FeaturizeRangeSize >= 0, $"{prefix}:FeaturizeRangeSize", trak.FeaturizeRangeSize, "must be ≥ 0 (0 = one range)");
        }
        foreach (var (prefix, similarity) in new[] { ("Similarity", options.Similarity), ("Demo:Similarity", options.Demo.Similarity) })
        {
            Check(similarity.ImageSize >= 16, $"{prefix}:ImageSize", similarity.ImageSize, "must be ≥ 16");
            Check(similarity.Epochs >= 1, $"{prefix}:Epochs", similarity.Epochs, "must be ≥ 1");
            Check(similarity.BatchSize >= 2, $"{prefix}:BatchSize", similarity.BatchSize, "must be ≥ 2 (contrastive pairs)");
            Check(similarity.QueueSize >= 1, $"{prefix}:QueueSize", similarity.QueueSize, "must be ≥ 1");
            Check(similarity.Momentum is >= 0 and < 1, $"{prefix}:Momentum", similarity.Momentum, "must be in [0, 1)");
            Check(similarity.Temperature > 0, $"{prefix}:Temperature", similarity.Temperature, "must be > 0");
            Check(similarity.EsvmC > 0, $"{prefix}:EsvmC", similarity.EsvmC, "must be > 0");
            Check(similarity.TopK >= 1, $"{prefix}:TopK", similarity.TopK, "must be ≥ 1");
        }
        Check(options.Clip.BatchSize >= 1, "Clip:BatchSize", options.Clip.BatchSize, "must be ≥ 1");
        Check(options.Demo.TrainImages >= 10, "Demo:TrainImages", options.Demo.TrainImages, "must be ≥ 10");
        Check(options.Demo.ValImages >= 1, "Demo:ValImages", options.Demo.ValImages, "must be ≥ 1");
        Check(options.Demo.ImageSize >= 32, "Demo:ImageSize", options.Demo.ImageSize, "must be ≥ 32");
        Check(options.Demo.LabelErrorRate is >= 0 and < 1, "Demo:LabelErrorRate", options.Demo.LabelErrorRate, "must be in [0, 1)");
        problems.AddRange(options.Storage.Problems());
        problems.AddRange(options.Evaluation.Problems());
        problems.AddRange(options.Security.Problems());
        return problems;
    }

    /// <summary>Throws one error naming every problem (and the file), or returns the options unchanged.</summary>
    public static AppOptions Validated(this AppOptions options, string source)
    {
        var problems = Of(options);
        if (problems.Count > 0) throw new ArgumentException($"{source}: {string.Join("; ", problems)}");
        return options;
    }
}
