using AttributionExplorer.Core.Domain;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline;

/// <summary>Checkpoints loaded once (each file verified, <see cref="TrainStep.Load"/>), so an ensemble and its halves
/// share the same models; disposing frees them all.</summary>
public sealed class LoadedCheckpoints(PipelineContext context, IEnumerable<CheckpointRecord> checkpoints) : IDisposable
{
    private readonly Dictionary<long, nn.Module<Tensor, Tensor>> models =
        checkpoints.ToDictionary(c => c.Id, c => (nn.Module<Tensor, Tensor>)TrainStep.Load(context, c, context.Device));

    /// <summary>The loaded models of <paramref name="ensemble"/> (each must be among the loaded checkpoints).</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Of(IEnumerable<CheckpointRecord> ensemble) => ensemble.Select(c => models[c.Id]).ToList();

    public void Dispose()
    {
        foreach (var model in models.Values) model.Dispose();
    }
}
