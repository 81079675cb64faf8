namespace AttributionExplorer.Core.Masks;

/// <summary>The label map an ensemble predicts: per pixel the label most members predict; a tie goes to the smaller
/// label (so two members that disagree between background and a class show background: the ensemble is not sure).</summary>
public static class EnsembleVote
{
    public static byte[] Of(IReadOnlyList<byte[]> predictions)
    {
        if (predictions.Count == 0) throw new ArgumentException("no predicted label maps", nameof(predictions));
        int pixels = predictions[0].Length;
        if (predictions.Any(p => p.Length != pixels))
            throw new ArgumentException($"predicted label maps differ in size: {string.Join(", ", predictions.Select(p => p.Length).Distinct())} pixels", nameof(predictions));
        var result = new byte[pixels];
        Span<int> votes = stackalloc int[256];
        for (int i = 0; i < pixels; i++)
        {
            votes.Clear();
            foreach (var p in predictions) votes[p[i]]++;
            int best = 0;
            for (int label = 1; label < votes.Length; label++) if (votes[label] > votes[best]) best = label;
            result[i] = (byte)best;
        }
        return result;
    }
}
