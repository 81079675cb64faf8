using AttributionExplorer.Precompute.Data;
using AttributionExplorer.Precompute.Trak;
using AttributionExplorer.Precompute.Trak.Outputs;
using AttributionExplorer.Precompute.Trak.Projection;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Worker.Pipeline.Trak;

/// <summary>Projected per-example gradients of one checkpoint ([n, k]) with the gradient computer and projector the
/// settings name: what the featurize stage (train loss) and the score stage (target outputs) both need.</summary>
public static class TrakFeatures
{
    public static (Tensor Features, long ParameterCount) Compute(nn.Module<Tensor, Tensor> model, ISegmentationSource source,
        Func<int, ITargetOutput> outputFor, TrakSettings settings, Action<int>? progress)
    {
        Precompute.Training.TorchThreads.Configure(settings.Threads);
        var gradients = settings.CreateGradients(model);
        var projector = settings.CreateProjector(gradients.ParameterCount);
        var features = TrakFeaturizer.Featurize(gradients, projector, source, outputFor, settings.BatchSize, progress, settings.ProjectionBufferBytes);
        return (features, gradients.ParameterCount);
    }
}
