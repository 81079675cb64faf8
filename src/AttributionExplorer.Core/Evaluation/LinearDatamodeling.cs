using AttributionExplorer.Core.Similarity;

namespace AttributionExplorer.Core.Evaluation;

/// <summary>The linear datamodeling score of additive attribution scores: per target, the Spearman correlation over
/// subsets between the sum of the target's scores over each subset and the output of the model trained on that
/// subset; a target whose correlation is undefined (constant predictions or outputs) is left out.</summary>
public static class LinearDatamodeling
{
    /// <param name="scores">[targets][train examples]</param>
    /// <param name="subsets">the training examples of each subset</param>
    /// <param name="actual">[subsets][targets]: each subset model's output on each target</param>
    public static IReadOnlyList<double> PerTarget(IReadOnlyList<float[]> scores, IReadOnlyList<int[]> subsets, IReadOnlyList<double[]> actual)
    {
        if (actual.Count != subsets.Count) throw new ArgumentException($"{subsets.Count} subsets but outputs of {actual.Count} subset models");
        if (actual.Any(a => a.Length != scores.Count)) throw new ArgumentException($"every subset model needs an output for each of the {scores.Count} targets");
        var result = new List<double>();
        for (int t = 0; t < scores.Count; t++)
        {
            var row = scores[t];
            var predicted = SubsetSums(subsets, i => row[i]);
            if (RankAgreement.Spearman(predicted, actual.Select(a => a[t]).ToArray()) is { } rho) result.Add(rho);
        }
        return result;
    }

    /// <summary>Per subset, the sum of its examples' values: what additive scores predict for the model trained on it.</summary>
    public static double[] SubsetSums(IReadOnlyList<int[]> subsets, Func<int, double> valueOf) => subsets.Select(s => s.Sum(valueOf)).ToArray();

    public static MeanWithError Score(IReadOnlyList<float[]> scores, IReadOnlyList<int[]> subsets, IReadOnlyList<double[]> actual) =>
        MeanWithError.Of(PerTarget(scores, subsets, actual).ToList());
}
