using AttributionExplorer.Precompute.Trak.Outputs;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Per-example gradients of a scalar output with respect to all trainable parameters, flattened in
/// <c>model.parameters()</c> order, in eval mode.</summary>
public interface IPerExampleGradients
{
    long ParameterCount { get; }

    /// <summary>[B, p] gradients of <paramref name="outputFor"/>(i) for each example i of the batch.</summary>
    Tensor Compute(Tensor images, Tensor labels, Func<int, ITargetOutput> outputFor);
}

/// <summary>Loop: one autograd.grad per example (the oracle). Batched: one forward/backward per batch, per-example
/// weight gradients from the saved layer inputs and output gradients (models that run their layers through
/// <see cref="Models.LayerTap"/>; others fall back to the loop).</summary>
public enum GradientMethod { Loop, Batched }

public static class PerExampleGradients
{
    public static IPerExampleGradients Create(TorchSharp.torch.nn.Module<Tensor, Tensor> model, GradientMethod method) => method switch
    {
        GradientMethod.Batched => new BatchedGradientComputer(model),
        _ => new PerExampleGradientComputer(model),
    };
}
