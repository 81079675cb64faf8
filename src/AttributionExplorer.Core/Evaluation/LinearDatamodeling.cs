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

    /// <summary>95% percentile-bootstrap interval of the mean LDS over targets, drawing the subsets with replacement.
    /// The SE over targets treats targets as independent, but every target is measured on the same subset models, so
    /// one badly trained subset model moves all of them at once; a draw of subsets carries that shared noise, which is
    /// what decides how far the LDS of another set of subsets could differ. A draw in which no target's correlation is
    /// defined is redrawn.</summary>
    public static Interval SubsetBootstrap(IReadOnlyList<float[]> scores, IReadOnlyList<int[]> subsets, IReadOnlyList<double[]> actual,
        int resamples = 1000, int seed = 0)
    {
        var estimate = Score(scores, subsets, actual);
        if (estimate.Count == 0) throw new ArgumentException("no target has a defined LDS: nothing to bootstrap");
        var predicted = scores.Select(row => SubsetSums(subsets, i => row[i])).ToArray();
        var outputs = Enumerable.Range(0, scores.Count).Select(t => actual.Select(a => a[t]).ToArray()).ToArray();
        int n = subsets.Count;
        var random = new Random(seed);
        var draw = new int[n];
        var samples = new List<double>(resamples);
        double[] x = new double[n], y = new double[n];
        while (samples.Count < resamples)
        {
            for (int j = 0; j < n; j++) draw[j] = random.Next(n);
            double sum = 0;
            int defined = 0;
            for (int t = 0; t < predicted.Length; t++)
            {
                for (int j = 0; j < n; j++) { x[j] = predicted[t][draw[j]]; y[j] = outputs[t][draw[j]]; }
                if (RankAgreement.Spearman(x, y) is { } rho) { sum += rho; defined++; }
            }
            if (defined > 0) samples.Add(sum / defined);
        }
        return Interval.Percentile(estimate.Mean, samples);
    }
}
