using AttributionExplorer.Precompute.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Model-confidence baseline for label-error detection (cleanlab-style): per pixel, the predicted probability
/// of the annotated class (mean over the models); per image, their soft-minimum Σ pⱼ·softmax((1 − p)/T)ⱼ, which weights
/// the least confident pixels most. Low quality = suspect. Ignored pixels do not count.</summary>
public static class LabelQualityScorer
{
    public const double DefaultTemperature = 0.1;

    public static double[] Score(IReadOnlyList<nn.Module<Tensor, Tensor>> models, ISegmentationSource source, double temperature = DefaultTemperature)
    {
        if (models.Count == 0) throw new ArgumentException("need at least one model");
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature));
        foreach (var model in models) model.eval();
        var quality = new double[source.Count];
        for (int i = 0; i < source.Count; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var (image, labels) = source.Load(i, 1);
            Tensor? sum = null;
            foreach (var model in models)
            {
                var probabilities = nn.functional.softmax(model.forward(image.to(Training.ComputeDevice.Of(model))), 1).cpu();
                sum = sum is null ? probabilities : sum + probabilities;
            }
            var mean = sum! / models.Count;
            quality[i] = SoftMinimum(mean, labels, temperature);
        }
        return quality;
    }

    /// <summary>Soft-minimum of the annotated class's probability over the non-ignored pixels of one example
    /// (probabilities [1,C,H,W], labels [1,H,W]); 1 when every pixel is ignored.</summary>
    public static double SoftMinimum(Tensor probabilities, Tensor labels, double temperature)
    {
        var y = labels.reshape(-1);
        var valid = y.ne(255);
        if (!valid.any().item<bool>()) return 1;
        var p = probabilities[0].reshape(probabilities.shape[1], -1).t()
            .gather(1, torch.where(valid, y, torch.zeros_like(y)).unsqueeze(1)).squeeze(1)
            .masked_select(valid).to(ScalarType.Float64);
        var weights = nn.functional.softmax((1 - p) / temperature, 0);
        return (p * weights).sum().item<double>();
    }
}
