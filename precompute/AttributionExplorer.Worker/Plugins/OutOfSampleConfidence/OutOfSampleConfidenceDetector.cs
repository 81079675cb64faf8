using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;
using AttributionExplorer.Core.Runs;
using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Worker.Infrastructure;
using AttributionExplorer.Worker.Pipeline;
using static AttributionExplorer.Precompute.LabelErrors.OutOfSampleConfidence;

namespace AttributionExplorer.Worker.Plugins.OutOfSampleConfidence;

/// <summary>Label-error detector, confident learning's way: K seeded folds, a model trained on the other K − 1 folds
/// scores each fold, so no image is judged by a model that saw (and may have memorized) its label; the score is the
/// same label quality as <c>confidence</c>; lowest first. It costs K trainings, so the demo leaves it out; each fold
/// is a unit of the run (an interrupted run resumes at the next fold).</summary>
public sealed class OutOfSampleConfidenceDetector : ITrainImageDetector
{
    public const string Name = "confidence-oos";
    public const int Folds = 4;

    public RankingMethodInfo Info { get; } = new(Name, "Out-of-sample confidence (4 folds)",
        "Label quality under a model that did not train on the image (4-fold cross-validation, as confident learning does); lowest first.",
        RankingScope.TrainImages, Signed: false, [], 15, $"{PluginRegistry.Cli} rank {Name} --dataset NAME");

    public bool InDemo => false;

    public RunRecord Ensure(PipelineContext context, DatasetInfo dataset, PipelineSizes sizes)
    {
        var parameters = new OutOfSampleParameters(Folds, sizes.Training.Seeds[0], LabelQualityScorer.DefaultTemperature,
            TrainRunParameters.Of(sizes.Model, sizes.Training, sizes.Training.Seeds[0], context.Datasets.GetCategories(dataset.Id).Count + 1));
        return context.Runs.Execute(dataset.Id, dataset.Version, parameters, [], scope =>
        {
            var train = DatabaseExamples.Load(context.Datasets, dataset, Splits.Train, sizes.Model.ImageSize);
            var foldOf = Folds(train.Count, parameters.Folds, parameters.Seed);
            var quality = new double[train.Count];
            for (int f = 0; f < parameters.Folds; f++)
            {
                var members = Enumerable.Range(0, train.Count).Where(i => foldOf[i] == f).ToArray();
                var scores = scope.Unit($"fold{f}", () => StepProgress.Run($"out-of-sample fold {f + 1}/{parameters.Folds}", 1, _ =>
                {
                    var keep = Enumerable.Range(0, train.Count).Where(i => foldOf[i] != f).ToArray();
                    using var model = SubsetTrainer.Train(train, keep, sizes.Model, sizes.Training, parameters.Seed * 100 + f, context.Device);
                    model.eval();
                    return LabelQualityScorer.Score([model], train.Select(members), parameters.Temperature);
                }));
                for (int j = 0; j < members.Length; j++) quality[members[j]] = scores[j];
            }
            var result = TrainRankingTargets.Write(context, dataset.Id, scope.RunId, Name, train.ImageIds, quality.Select(q => -q).ToList(), quality);
            context.RankingRuns.RecordReliability(scope.RunId, Core.Stability.Reliability.None(
                "each image is scored by the one fold model that did not train on it: there is no ensemble to split into halves"));
            return result;
        }).Run;
    }

    private sealed record OutOfSampleParameters(int Folds, int Seed, double Temperature, TrainRunParameters Training) : IRunParameters
    {
        public string RunKind => "rank." + Name;
        public string Score => "soft-minimum label quality under the fold model that did not train on the image";
        public string Order => "lowest first";
    }
}
