using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Models;

/// <summary>How the models run their parametrised leaf layers: normally a plain forward; while a
/// <see cref="LayerRecording"/> is active on this thread, each Conv2d, BatchNorm2d and Linear also hands its input
/// and its output to the recording, so batched per-example gradients can be taken from one forward/backward.</summary>
public static class LayerTap
{
    [ThreadStatic] private static LayerRecording? active;

    public static Tensor Run(nn.Module<Tensor, Tensor> layer, Tensor input)
    {
        var output = layer.forward(input);
        return active is null ? output : active.Record(layer, input, output);
    }

    /// <summary>The layers of a Sequential in order, each through <see cref="Run"/> (Sequential.forward would bypass it).</summary>
    public static Tensor Sequence(Sequential sequence, Tensor input)
    {
        var x = input;
        foreach (var child in sequence.children()) x = Run((nn.Module<Tensor, Tensor>)child, x);
        return x;
    }

    internal static void Begin(LayerRecording recording)
    {
        if (active is not null) throw new InvalidOperationException("a layer recording is already active on this thread");
        active = recording;
    }

    internal static void End(LayerRecording recording)
    {
        if (ReferenceEquals(active, recording)) active = null;
    }
}

/// <summary>One parametrised layer's call: its input (detached) and its output as a graph node that the rest of the
/// forward consumes, so autograd can give the gradient with respect to it.</summary>
public sealed record RecordedLayer(nn.Module Layer, Tensor Input, Tensor Output);

/// <summary>Records every Conv2d, BatchNorm2d and Linear call of the forwards run while it is active (on this thread).
/// Owns the recorded tensors until disposed.</summary>
public sealed class LayerRecording : IDisposable
{
    private readonly List<RecordedLayer> layers = new();

    public LayerRecording() => LayerTap.Begin(this);

    public IReadOnlyList<RecordedLayer> Layers => layers;

    public static bool IsRecorded(nn.Module layer) => layer is Conv2d or BatchNorm2d or Linear;

    internal Tensor Record(nn.Module layer, Tensor input, Tensor output)
    {
        if (!IsRecorded(layer)) return output;
        // The alias is what the rest of the forward uses, so d(loss)/d(alias) is the gradient at this layer's output.
        var tapped = output.alias().DetachFromDisposeScope();
        layers.Add(new RecordedLayer(layer, input.detach().DetachFromDisposeScope(), tapped));
        return tapped;
    }

    public void Dispose()
    {
        LayerTap.End(this);
        foreach (var layer in layers)
        {
            layer.Input.Dispose();
            layer.Output.Dispose();
        }
        layers.Clear();
    }
}
