namespace AttributionExplorer.Core.Masks;

/// <summary>Builds a semantic label map from instance masks. Overlap rule: non-crowd instances are painted in
/// descending area, so a smaller instance (usually the occluding foreground object) wins where two overlap.
/// Crowd regions become <see cref="IgnoreIndex"/> (excluded from the loss and from TRAK outputs) except where a
/// non-crowd instance covers them. Background is 0.</summary>
public static class SemanticLabelMap
{
    public const byte IgnoreIndex = 255;

    public static byte[] Build(IEnumerable<(bool[] Mask, byte ModelIndex, bool IsCrowd, double Area)> instances, int height, int width)
    {
        var labels = new byte[height * width];
        var list = instances.ToList();
        foreach (var crowd in list.Where(i => i.IsCrowd)) Paint(labels, crowd.Mask, IgnoreIndex);
        foreach (var instance in list.Where(i => !i.IsCrowd).OrderByDescending(i => i.Area)) Paint(labels, instance.Mask, instance.ModelIndex);
        return labels;
    }

    private static void Paint(byte[] labels, bool[] mask, byte value)
    {
        if (mask.Length != labels.Length) throw new ArgumentException($"mask has {mask.Length} pixels, label map {labels.Length}");
        for (int i = 0; i < mask.Length; i++) if (mask[i]) labels[i] = value;
    }
}
