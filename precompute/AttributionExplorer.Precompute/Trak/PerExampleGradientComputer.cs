using AttributionExplorer.Precompute.Trak.Outputs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak;

/// <summary>Flattened per-example gradients of a scalar output with respect to all trainable parameters, in eval mode
/// (BatchNorm uses running statistics, so each example's gradient is its own). TorchSharp has no vmap: one
/// autograd.grad per example. The reference every batched method is tested against.</summary>
public sealed class PerExampleGradientComputer : IPerExampleGradients
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly Parameter[] parameters;

    public PerExampleGradientComputer(nn.Module<Tensor, Tensor> model)
    {
        Training.TorchBackends.Configure();
        this.model = model;
        parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        ParameterCount = parameters.Sum(p => p.numel());
    }

    public long ParameterCount { get; }

    public Tensor Compute(Tensor images, Tensor labels, Func<int, ITargetOutput> outputFor)
    {
        model.eval();
        var device = parameters[0].device;
        images = images.to(device);
        labels = labels.to(device);
        int batch = (int)images.shape[0];
        var rows = new Tensor[batch];
        for (int i = 0; i < batch; i++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = model.forward(images[i..(i + 1)]);
            var value = outputFor(i).Compute(logits, labels[i..(i + 1)]);
            var grads = torch.autograd.grad([value], parameters.Cast<Tensor>().ToArray());
            var row = torch.cat(grads.Select(g => g.reshape(-1)).ToList(), 0);
            GradientCheck.ThrowIfNotFinite(row, () => $"example {i} of the batch (output {value.to(ScalarType.Float64).item<double>()})");
            rows[i] = row.MoveToOuterDisposeScope();
        }
        var result = torch.stack(rows);
        foreach (var r in rows) r.Dispose();
        return result;
    }
}
