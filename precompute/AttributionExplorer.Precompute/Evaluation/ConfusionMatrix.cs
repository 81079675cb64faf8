namespace AttributionExplorer.Precompute.Evaluation;

/// <summary>Pixel confusion counts; pixels labelled 255 are ignored.</summary>
public sealed class ConfusionMatrix
{
    public const int IgnoreIndex = 255;
    private readonly long[,] counts;

    public ConfusionMatrix(int numClasses)
    {
        NumClasses = numClasses;
        counts = new long[numClasses, numClasses];
    }

    public int NumClasses { get; }
    public long this[int label, int predicted] => counts[label, predicted];

    public void Add(ReadOnlySpan<long> labels, ReadOnlySpan<long> predictions)
    {
        if (labels.Length != predictions.Length) throw new ArgumentException("labels and predictions differ in length");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == IgnoreIndex) continue;
            counts[labels[i], predictions[i]]++;
        }
    }

    /// <summary>Mean over classes that occur in labels or predictions of TP/(TP+FP+FN), background included;
    /// a class absent from both has no defined IoU and is left out.</summary>
    public double MeanIou()
    {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < NumClasses; c++)
        {
            long tp = counts[c, c], fn = 0, fp = 0;
            for (int o = 0; o < NumClasses; o++)
            {
                if (o == c) continue;
                fn += counts[c, o];
                fp += counts[o, c];
            }
            if (tp + fp + fn == 0) continue;
            sum += (double)tp / (tp + fp + fn);
            present++;
        }
        return present == 0 ? 0 : sum / present;
    }
}
