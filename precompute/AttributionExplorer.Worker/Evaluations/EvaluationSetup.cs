using AttributionExplorer.Core.Options;
using AttributionExplorer.Precompute.Evaluation;
using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Worker.Pipeline;

namespace AttributionExplorer.Worker.Evaluations;

/// <summary>What every evaluation shares: the data, the model size, the retraining schedule and the device.</summary>
public sealed class EvaluationSetup(PipelineContext context, EvaluationData data, ModelOptions model, TrainingOptions training, EvaluationOptions options)
{
    public PipelineContext Context => context;
    public EvaluationData Data => data;
    public EvaluationOptions Options => options;
    public ModelOptions Model => model;
    /// <summary>The schedule the dataset's checkpoints were trained with (the seeds the ensemble uses).</summary>
    public TrainingOptions TrainingOfCheckpoints => training;

    /// <summary>The training schedule of every retrained model: the chosen one with Evaluation.Epochs epochs.</summary>
    public TrainingOptions Training { get; } = training.WithEpochs(options.Epochs > 0 ? options.Epochs : training.Epochs);

    public DeepLabV3 Retrain(IReadOnlyList<int> keep, int seed) => SubsetTrainer.Train(data.Train, keep, model, Training, seed, context.Device);

    /// <summary>Recorded with every evaluation run, so results say what produced them.</summary>
    public object Common => new
    {
        model.ImageSize, model.BaseWidth, model.BlocksPerStage, model.AsppChannels, model.AsppRates,
        Training.Epochs, Training.BatchSize, Training.LearningRate, Training.WeightDecay, options.Seed,
        train = data.Train.Count, heldOut = data.Val.Count, device = context.Options.Device,
    };
}
