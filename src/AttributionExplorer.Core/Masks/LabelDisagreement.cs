namespace AttributionExplorer.Core.Masks;

/// <summary>Where an annotation's label map and a predicted one differ, pixel by pixel at the same resolution. Pixels
/// labelled <see cref="SemanticLabelMap.IgnoreIndex"/> (crowd) are never counted: training ignores them too.</summary>
public static class LabelDisagreement
{
    public static bool[] Of(byte[] labels, byte[] predicted)
    {
        if (labels.Length != predicted.Length)
            throw new ArgumentException($"label map has {labels.Length} pixels, prediction {predicted.Length}", nameof(predicted));
        var differs = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            differs[i] = labels[i] != SemanticLabelMap.IgnoreIndex && labels[i] != predicted[i];
        return differs;
    }
}
