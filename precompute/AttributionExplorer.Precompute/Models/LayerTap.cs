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
        if (active is { } recording && layer is Conv2d conv && recording.SideWeight(conv) is { } side)
        {
            var (output, extra) = ConvolutionWithSide(conv, input, side);
            return recording.Record(layer, input, output, extra);
        }
        var plain = layer.forward(input);
        return active is null ? plain : active.Record(layer, input, plain);
    }

    /// <summary>Ungrouped, zero-padded, not transposed: the convolutions whose per-example gradients and side filters
    /// follow from the unfolded input.</summary>
    public static bool IsPlain(Conv2d conv) =>
        conv.groups == 1 && !conv.transposed && conv.padding_type is null && conv.padding_mode == PaddingModes.Zeros;

    /// <summary>One convolution with the side filters appended to the layer's own: the input is unfolded once for both
    /// (without NNPACK/oneDNN the unfolding is most of a convolution's cost when it has few output channels). The
    /// layer's output is the first channels; the side channels come back detached.</summary>
    private static (Tensor Output, Tensor Side) ConvolutionWithSide(Conv2d conv, Tensor input, Tensor side)
    {
        if (!IsPlain(conv)) throw new NotSupportedException("side filters need an ungrouped, zero-padded, non-transposed Conv2d");
        var weight = conv.weight!;
        long outChannels = weight.shape[0], sideChannels = side.shape[0];
        var bias = conv.bias is { } b ? torch.cat([b, torch.zeros(sideChannels, dtype: b.dtype, device: b.device)], 0) : null;
        var both = nn.functional.conv2d(input, torch.cat([weight, side.to(weight.dtype)], 0), bias, conv.stride, conv.padding, conv.dilation);
        return (both.narrow(1, 0, outChannels), both.narrow(1, outChannels, sideChannels).detach());
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
/// forward consumes, so autograd can give the gradient with respect to it; for a convolution given side filters
/// (<see cref="LayerRecording"/>), the input convolved with them (detached), else null.</summary>
public sealed record RecordedLayer(nn.Module Layer, Tensor Input, Tensor Output, Tensor? Side = null);

/// <summary>Records every Conv2d, BatchNorm2d and Linear call of the forwards run while it is active (on this thread).
/// Owns the recorded tensors until disposed.</summary>
public sealed class LayerRecording : IDisposable
{
    private readonly List<RecordedLayer> layers = new();
    private readonly Func<Conv2d, Tensor?>? sideWeights;

    /// <param name="sideWeights">Extra filters [k, C_in, kh, kw] for a convolution (null: none), run in the same
    /// convolution as the layer's own (the structured projection's input factors); their outputs are recorded as
    /// <see cref="RecordedLayer.Side"/>.</param>
    public LayerRecording(Func<Conv2d, Tensor?>? sideWeights = null)
    {
        this.sideWeights = sideWeights;
        LayerTap.Begin(this);
    }

    internal Tensor? SideWeight(Conv2d conv) => sideWeights?.Invoke(conv);

    public IReadOnlyList<RecordedLayer> Layers => layers;

    public static bool IsRecorded(nn.Module layer) => layer is Conv2d or BatchNorm2d or Linear;

    internal Tensor Record(nn.Module layer, Tensor input, Tensor output, Tensor? side = null)
    {
        if (!IsRecorded(layer)) return output;
        // The alias is what the rest of the forward uses, so d(loss)/d(alias) is the gradient at this layer's output.
        var tapped = output.alias().DetachFromDisposeScope();
        layers.Add(new RecordedLayer(layer, input.detach().DetachFromDisposeScope(), tapped, side?.DetachFromDisposeScope()));
        return tapped;
    }

    public void Dispose()
    {
        LayerTap.End(this);
        foreach (var layer in layers)
        {
            layer.Input.Dispose();
            layer.Output.Dispose();
            layer.Side?.Dispose();
        }
        layers.Clear();
    }
}
