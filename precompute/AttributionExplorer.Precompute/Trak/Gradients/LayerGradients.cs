using AttributionExplorer.Precompute.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Per-example parameter gradients of one recorded layer from its input x and the per-example gradient g at
/// its output (exact when examples do not interact, i.e. in eval mode): a convolution's weight gradient is
/// g·unfold(x)ᵀ per example, its bias Σ g over positions; an eval-mode BatchNorm's weight gradient is Σ g·x̂ and its
/// bias Σ g; a Linear's is gᵀx.</summary>
internal static class LayerGradients
{
    /// <summary>Largest unfolded input (floats) held at once; bigger batches are unfolded a slice of examples at a time.</summary>
    private const long MaxUnfoldedFloats = 16L << 20;

    public static IEnumerable<(Parameter Parameter, Tensor PerExample)> For(RecordedLayer layer, Tensor outputGradient) => layer.Layer switch
    {
        Conv2d conv => Convolution(conv, layer.Input, outputGradient),
        BatchNorm2d bn => BatchNorm(bn, layer.Input, outputGradient),
        Linear linear => Dense(linear, layer.Input, outputGradient),
        _ => throw new NotSupportedException($"no per-example gradient rule for {layer.Layer.GetType().Name}"),
    };

    private static IEnumerable<(Parameter, Tensor)> Convolution(Conv2d conv, Tensor x, Tensor g)
    {
        if (!LayerTap.IsPlain(conv))
            throw new NotSupportedException("batched per-example gradients support ungrouped, zero-padded, non-transposed Conv2d only");
        long batch = g.shape[0], outChannels = g.shape[1], positions = g.shape[2] * g.shape[3];
        var gFlat = g.reshape(batch, outChannels, positions);
        if (conv.weight is { requires_grad: true } weight)
        {
            var k = conv.kernel_size;
            var (stride, padding, dilation) = (conv.stride, conv.padding, conv.dilation);
            bool pointwise = k[0] == 1 && k[1] == 1 && padding.All(p => p == 0) && stride.All(s => s == 1);
            long columns = weight.shape[1] * k[0] * k[1];
            long slice = Math.Max(1, MaxUnfoldedFloats / Math.Max(1, columns * positions));
            var parts = new List<Tensor>();
            for (long start = 0; start < batch; start += slice)
            {
                long count = Math.Min(slice, batch - start);
                var xs = x.narrow(0, start, count);
                var unfolded = pointwise
                    ? xs.reshape(count, columns, positions)
                    : nn.functional.unfold(xs, (k[0], k[1]), (dilation[0], dilation[1]), (padding[0], padding[1]), (stride[0], stride[1]));
                parts.Add(gFlat.narrow(0, start, count).bmm(unfolded.transpose(1, 2)).reshape(count, -1));
            }
            yield return (weight, parts.Count == 1 ? parts[0] : torch.cat(parts, 0));
        }
        if (conv.bias is { requires_grad: true } bias) yield return (bias, gFlat.sum(2));
    }

    private static IEnumerable<(Parameter, Tensor)> BatchNorm(BatchNorm2d bn, Tensor x, Tensor g)
    {
        if (bn.weight is { requires_grad: true } weight)
        {
            if (bn.running_mean is null || bn.running_var is null)
                throw new NotSupportedException("batched per-example gradients need BatchNorm2d with running statistics (eval mode)");
            var normalized = (x - bn.running_mean.view(1, -1, 1, 1)) * (bn.running_var + bn.eps).rsqrt().view(1, -1, 1, 1);
            yield return (weight, (g * normalized).sum([2, 3]));
        }
        if (bn.bias is { requires_grad: true } bias) yield return (bias, g.sum([2, 3]));
    }

    private static IEnumerable<(Parameter, Tensor)> Dense(Linear linear, Tensor x, Tensor g)
    {
        long batch = g.shape[0];
        var gRows = g.reshape(batch, -1, linear.out_features);
        if (linear.weight is { requires_grad: true } weight)
            yield return (weight, gRows.transpose(1, 2).bmm(x.reshape(batch, -1, linear.in_features)).reshape(batch, -1));
        if (linear.bias is { requires_grad: true } bias) yield return (bias, gRows.sum(1));
    }
}
