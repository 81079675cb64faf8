using AttributionExplorer.Precompute.Models;
using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

/// <summary>Structured (LoGra-style, Choe et al. 2024) projected per-example gradients from one batched forward and
/// backward, without ever forming a p-dimensional gradient. A convolution's or linear layer's per-example weight
/// gradient is Gᵢ = Σ_positions gᵢ xᵢᵀ (g the output gradient, x the unfolded input); it is projected as
/// P_outᵀ Gᵢ P_in = Σ_positions (P_outᵀ gᵢ)(P_inᵀ xᵢ)ᵀ, so only the k_in-channel projection of the input (a
/// convolution with the same stride, padding and dilation) and the k_out-channel projection of the output gradient
/// are formed. Biases and BatchNorm's affine parameters (a few thousand numbers) are projected densely from their
/// exact per-example gradients. Entries are Gaussian with variance 1/k per factor, so E[PPᵀ] = I and inner products
/// of projected gradients are unbiased estimates of the exact ones (<see cref="Allocation"/> says how k is split).
/// Needs a model whose Conv2d/BatchNorm2d/Linear layers run through <see cref="LayerTap"/> (eval mode).
/// <see cref="IPerExampleGradients.ParameterCount"/> is the dimension of the projected rows it returns.</summary>
public sealed class KroneckerProjectedGradients : IPerExampleGradients, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Dictionary<nn.Module, WeightBlock> weights = new(ReferenceEqualityComparer.Instance);
    private readonly Parameter[] denseParameters;
    private readonly Tensor? denseMatrix;
    private readonly int denseDim;

    /// <summary>One weight's Kronecker factors: P_out [out, k_out]; P_in as a convolution weight [k_in, C_in, kh, kw]
    /// (a linear layer's [k_in, in] is the 1×1 case); Offset = where its k_out·k_in features start.</summary>
    private sealed record WeightBlock(int Offset, int OutDim, int InDim, Tensor OutFactor, Tensor InFactor);

    public KroneckerProjectedGradients(nn.Module<Tensor, Tensor> model, int projectionDim, long seed)
    {
        Training.TorchBackends.Configure();
        this.model = model;
        var device = model.parameters().First().device;
        var layers = model.modules().Where(LayerRecording.IsRecorded).ToList();
        var covered = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        var weightLayers = new List<(nn.Module Layer, long Out, long In)>();
        var dense = new List<Parameter>();
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case Conv2d conv:
                    if (!LayerTap.IsPlain(conv))
                        throw new NotSupportedException("structured projection supports ungrouped, zero-padded, non-transposed Conv2d only");
                    if (conv.weight is { requires_grad: true } cw) { weightLayers.Add((conv, cw.shape[0], cw.numel() / cw.shape[0])); covered.Add(cw); }
                    if (conv.bias is { requires_grad: true } cb) { dense.Add(cb); covered.Add(cb); }
                    break;
                case Linear linear:
                    if (linear.weight is { requires_grad: true } lw) { weightLayers.Add((linear, lw.shape[0], lw.shape[1])); covered.Add(lw); }
                    if (linear.bias is { requires_grad: true } lb) { dense.Add(lb); covered.Add(lb); }
                    break;
                case BatchNorm2d bn:
                    foreach (var p in new[] { bn.weight, bn.bias }) if (p is { requires_grad: true }) { dense.Add(p); covered.Add(p); }
                    break;
            }
        }
        var uncovered = model.parameters().Where(p => p.requires_grad && !covered.Contains(p)).ToList();
        if (uncovered.Count > 0)
            throw new NotSupportedException($"structured projection covers Conv2d, Linear and BatchNorm2d parameters only; this model has {uncovered.Count} other trainable parameter(s)");
        if (weightLayers.Count == 0) throw new NotSupportedException("structured projection needs at least one Conv2d or Linear weight");
        denseParameters = dense.ToArray();
        long denseCount = denseParameters.Sum(p => p.numel());

        var (shapes, densePart) = Allocation(weightLayers.Select(w => (w.Out, w.In)).ToList(), denseCount, projectionDim);
        int offset = 0;
        for (int l = 0; l < weightLayers.Count; l++)
        {
            var (layer, outChannels, inColumns) = weightLayers[l];
            var (kOut, kIn) = shapes[l];
            var outFactor = Gaussian(seed, 2 * l, outChannels, kOut, device);
            var inFactor = Gaussian(seed, 2 * l + 1, inColumns, kIn, device).t().contiguous();
            var weight = layer is Conv2d conv ? conv.weight! : ((Linear)layer).weight!;
            weights[layer] = new WeightBlock(offset, kOut, kIn, outFactor,
                (layer is Conv2d ? inFactor.reshape([kIn, .. weight.shape[1..]]) : inFactor).DetachFromDisposeScope());
            outFactor.DetachFromDisposeScope();
            offset += kOut * kIn;
        }
        denseDim = densePart;
        if (denseDim > 0) denseMatrix = Gaussian(seed, 2 * weightLayers.Count, denseCount, denseDim, device).DetachFromDisposeScope();
        ParameterCount = offset + denseDim;
    }

    public long ParameterCount { get; }

    /// <summary>How k is split (deterministic): the dense part gets min(q, max(4, k/16)) for q bias/norm parameters;
    /// every weight starts at k_out = k_in = 1, then the weight with the most parameters per projected dimension grows
    /// its smaller factor by one (never beyond its own size; a factor at full size is the identity) while the total
    /// stays ≤ k. Throws when k cannot give every
    /// weight one dimension.</summary>
    public static (IReadOnlyList<(int Out, int In)> Weights, int Dense) Allocation(IReadOnlyList<(long Out, long In)> layers, long denseCount, int k)
    {
        int dense = denseCount == 0 ? 0 : (int)Math.Min(denseCount, Math.Max(4, k / 16));
        int budget = k - dense;
        if (budget < layers.Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"structured projection needs k ≥ {layers.Count + dense} for {layers.Count} weight layers (one dimension each, {dense} for biases and norms)");
        var shapes = layers.Select(_ => (Out: 1, In: 1)).ToArray();
        int used = layers.Count;
        // Which factor of layer l grows next (the smaller one that can), and what that adds; null when neither can.
        (bool Out, int Cost)? Next(int l)
        {
            var (o, i) = shapes[l];
            bool canOut = o < layers[l].Out, canIn = i < layers[l].In;
            if (!canOut && !canIn) return null;
            bool growOut = canOut && (!canIn || o <= i);
            return (growOut, growOut ? i : o);
        }
        while (true)
        {
            int best = -1;
            double bestLoad = -1;
            for (int l = 0; l < layers.Count; l++)
            {
                if (Next(l) is not { } next || used + next.Cost > budget) continue;
                double load = (double)layers[l].Out * layers[l].In / (shapes[l].Out * shapes[l].In);
                if (load > bestLoad) { best = l; bestLoad = load; }
            }
            if (best < 0) break;
            var grow = Next(best)!.Value;
            shapes[best] = grow.Out ? (shapes[best].Out + 1, shapes[best].In) : (shapes[best].Out, shapes[best].In + 1);
            used += grow.Cost;
        }
        return (shapes.Select(s => (s.Out, s.In)).ToList(), dense);
    }

    /// <summary>The Kronecker factors of one layer's weight (for tests: P_out [out, k_out], P_in [in, k_in]) and where
    /// its features start.</summary>
    internal (int Offset, Tensor OutFactor, Tensor InFactor) FactorsOf(nn.Module layer)
    {
        var block = weights[layer];
        return (block.Offset, block.OutFactor, block.InFactor.reshape(block.InDim, -1).t());
    }

    internal (Parameter[] Parameters, Tensor? Matrix, int Offset) DensePart => (denseParameters, denseMatrix, (int)ParameterCount - denseDim);

    public Tensor Compute(Tensor images, Tensor labels, Func<int, ITargetOutput> outputFor)
    {
        model.eval();
        using var scope = torch.NewDisposeScope();
        var device = denseMatrix?.device ?? weights.Values.First().OutFactor.device;
        images = images.to(device);
        labels = labels.to(device);
        int batch = (int)images.shape[0];
        using var recording = new LayerRecording(conv => weights.TryGetValue(conv, out var block) ? block.InFactor : null);
        var outputGradients = RecordedBackward.OutputGradients(model, recording, images, labels, outputFor);

        var features = torch.zeros(batch, ParameterCount, device: device);
        var denseRows = new Dictionary<Parameter, Tensor>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        for (int j = 0; j < recording.Layers.Count; j++)
        {
            var layer = recording.Layers[j];
            if (!seen.Add(layer.Layer)) throw new NotSupportedException("a layer ran twice in one forward; structured projection needs each layer once");
            var g = outputGradients[j] ?? torch.zeros_like(layer.Output);
            if (weights.TryGetValue(layer.Layer, out var block))
                features.narrow(1, block.Offset, block.OutDim * block.InDim).copy_(ProjectWeight(layer, block, g));
            foreach (var (parameter, gradient) in DenseGradients(layer.Layer, layer.Input, g)) denseRows[parameter] = gradient;
        }
        if (denseMatrix is not null)
        {
            var rows = torch.cat(denseParameters.Select(p => denseRows.TryGetValue(p, out var r) ? r : torch.zeros(batch, p.numel(), device: device)).ToList(), 1);
            features.narrow(1, ParameterCount - denseDim, denseDim).copy_(rows.matmul(denseMatrix));
        }
        GradientCheck.ThrowIfNotFinite(features, () => $"a batch of {batch} (structured projection)");
        return features.MoveToOuterDisposeScope();
    }

    /// <summary>Exact per-example gradients of a layer's bias and norm parameters (never its weight: that is what the
    /// Kronecker factors avoid forming).</summary>
    private static IEnumerable<(Parameter, Tensor)> DenseGradients(nn.Module layer, Tensor x, Tensor g)
    {
        long batch = g.shape[0];
        switch (layer)
        {
            case Conv2d { bias: { requires_grad: true } bias }:
                yield return (bias, g.reshape(batch, g.shape[1], -1).sum(2));
                break;
            case Linear { bias: { requires_grad: true } bias } linear:
                yield return (bias, g.reshape(batch, -1, linear.out_features).sum(1));
                break;
            case BatchNorm2d bn:
                foreach (var item in LayerGradients.For(new RecordedLayer(bn, x, g), g)) yield return item;
                break;
        }
    }

    /// <summary>Σ_positions (P_outᵀ g)(P_inᵀ x)ᵀ per example, flattened [B, k_out·k_in] (row-major k_out × k_in). A
    /// convolution's P_inᵀ x is the side output the recording ran with the layer's own convolution.</summary>
    private static Tensor ProjectWeight(RecordedLayer recorded, WeightBlock block, Tensor g)
    {
        long batch = g.shape[0];
        var (layer, x) = (recorded.Layer, recorded.Input);
        if (layer is Conv2d conv)
        {
            var side = recorded.Side ?? throw new InvalidOperationException("a convolution was recorded without its input factor as side filters");
            var xProjected = side.reshape(batch, block.InDim, -1);
            var gProjected = block.OutFactor.t().matmul(g.reshape(batch, g.shape[1], -1));
            return gProjected.bmm(xProjected.transpose(1, 2)).reshape(batch, -1);
        }
        var linear = (Linear)layer;
        var xRows = x.reshape(batch, -1, linear.in_features).matmul(block.InFactor.t());
        var gRows = g.reshape(batch, -1, linear.out_features).matmul(block.OutFactor);
        return gRows.transpose(1, 2).bmm(xRows).reshape(batch, -1);
    }

    /// <summary>Gaussian with variance 1/columns, or the identity when the factor keeps every dimension (then that
    /// side is exact rather than a square random rotation-and-scaling).</summary>
    private static Tensor Gaussian(long seed, int index, long rows, long columns, Device device)
    {
        if (rows == columns) return torch.eye(rows, device: device);
        using var generator = new torch.Generator(unchecked((ulong)(seed * 1_000_003L + 7_919L * (index + 1))));
        return (torch.randn(rows, columns, generator: generator) / Math.Sqrt(columns)).to(device);
    }

    public void Dispose()
    {
        foreach (var block in weights.Values) { block.OutFactor.Dispose(); block.InFactor.Dispose(); }
        denseMatrix?.Dispose();
    }
}
