using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Embeddings.Moco;

/// <summary>MoCo's InfoNCE: logits [q·k₊, q·queue]/τ with the positive at index 0; loss = cross-entropy against 0,
/// i.e. −log softmax₀. Inputs are L2-normalized rows.</summary>
public static class InfoNce
{
    public static Tensor Loss(Tensor queries, Tensor positiveKeys, Tensor queue, double temperature)
    {
        using var scope = torch.NewDisposeScope();
        var positive = (queries * positiveKeys).sum(1, keepdim: true);
        var negative = queries.matmul(queue.t());
        var logits = torch.cat([positive, negative], 1) / temperature;
        var labels = torch.zeros(queries.shape[0], dtype: ScalarType.Int64);
        return nn.functional.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }
}
