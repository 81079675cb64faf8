using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Exact per-example gradients from one batched forward and one backward. In eval mode examples do not
/// interact, so the gradient of Σᵢ fᵢ with respect to a layer's output, restricted to example i, is fᵢ's own; each
/// parameter's per-example gradient then follows from the layer's saved input (<see cref="LayerGradients"/>). Needs
/// a model whose Conv2d/BatchNorm2d/Linear layers run through <see cref="LayerTap"/>; for any other model (or one
/// with a parameter outside those layers) it falls back to the per-example loop.</summary>
public sealed class BatchedGradientComputer : IPerExampleGradients
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Parameter[] parameters;
    private PerExampleGradientComputer? loop;

    public BatchedGradientComputer(nn.Module<Tensor, Tensor> model)
    {
        // With oneDNN on, batched convolution backwards gave non-finite or wrong input gradients here (TorchBackends).
        Training.TorchBackends.Configure();
        this.model = model;
        parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        ParameterCount = parameters.Sum(p => p.numel());
    }

    public long ParameterCount { get; }

    /// <summary>True once the model turned out not to be tapped and the per-example loop is used instead.</summary>
    public bool UsesLoop => loop is not null;

    public Tensor Compute(Tensor images, Tensor labels, Func<int, ITargetOutput> outputFor)
    {
        if (loop is not null) return loop.Compute(images, labels, outputFor);
        model.eval();
        var device = parameters[0].device;
        using var scope = torch.NewDisposeScope();
        images = images.to(device);
        labels = labels.to(device);
        int batch = (int)images.shape[0];
        using var recording = new LayerRecording();
        var outputGradients = RecordedBackward.OutputGradients(model, recording, images, labels, outputFor);

        var perParameter = new Dictionary<Parameter, Tensor>(ReferenceEqualityComparer.Instance);
        for (int j = 0; j < outputGradients.Length; j++)
        {
            if (outputGradients[j] is not { } g) continue;
            foreach (var (parameter, gradient) in LayerGradients.For(recording.Layers[j], g))
                if (!perParameter.TryAdd(parameter, gradient))
                    throw new NotSupportedException("a layer ran twice in one forward; batched per-example gradients need each layer once");
        }
        if (parameters.Any(p => !perParameter.ContainsKey(p)))
        {
            recording.Dispose(); // the loop's forwards must not be recorded
            loop = new PerExampleGradientComputer(model);
            return loop.Compute(images, labels, outputFor).MoveToOuterDisposeScope();
        }
        var rows = torch.cat(parameters.Select(p => perParameter[p]).ToList(), 1);
        GradientCheck.ThrowIfNotFinite(rows, () => $"a batch of {batch}");
        return rows.MoveToOuterDisposeScope();
    }
}

