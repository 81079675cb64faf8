namespace AttributionExplorer.Core.Masks;

/// <summary>The pixels an ensemble predicts as one class: those where at least half of the members' predicted label
/// maps say c (with two members, either one suffices).</summary>
public static class EnsembleClassMask
{
    public static bool[] Of(IReadOnlyList<byte[]> predictions, int classIndex)
    {
        if (predictions.Count == 0) throw new ArgumentException("no predicted label maps", nameof(predictions));
        int pixels = predictions[0].Length;
        if (predictions.Any(p => p.Length != pixels))
            throw new ArgumentException($"predicted label maps differ in size: {string.Join(", ", predictions.Select(p => p.Length).Distinct())} pixels");
        var mask = new bool[pixels];
        for (int i = 0; i < pixels; i++)
        {
            int votes = 0;
            foreach (var p in predictions) if (p[i] == classIndex) votes++;
            mask[i] = 2 * votes >= predictions.Count;
        }
        return mask;
    }
}
