using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Data;

/// <summary>Decodes pixels on first use and keeps them (the demo and small subsets fit in memory).</summary>
public sealed class InMemorySegmentationSource : ISegmentationSource
{
    private readonly IReadOnlyList<SegmentationExample> examples;
    private readonly float[]?[] pixels;
    private readonly int size;

    /// <param name="decoded">Pixels already decoded, one CHW array per example (e.g. read back from a sharded TRAK
    /// plan's snapshot); null decodes each image file on first use.</param>
    public InMemorySegmentationSource(IReadOnlyList<SegmentationExample> examples, int numClasses, int size, IReadOnlyList<float[]?>? decoded = null)
    {
        foreach (var e in examples)
            if (e.Labels.Length != size * size)
                throw new ArgumentException($"image {e.ImageId}: label map has {e.Labels.Length} pixels, expected {size}×{size}");
        this.examples = examples;
        this.size = size;
        NumClasses = numClasses;
        if (decoded is not null && decoded.Count != examples.Count)
            throw new ArgumentException($"{decoded.Count} decoded images for {examples.Count} examples");
        if (decoded?.FirstOrDefault(p => p is not null && p.Length != 3 * size * size) is { } wrong)
            throw new ArgumentException($"a decoded image has {wrong.Length} numbers, expected 3×{size}×{size}");
        pixels = decoded?.ToArray() ?? new float[examples.Count][];
        ImageIds = examples.Select(e => e.ImageId).ToArray();
    }

    public int Count => examples.Count;
    public IReadOnlyList<SegmentationExample> Examples => examples;
    public int Size => size;

    /// <summary>A source over the given example indices (repeats allowed), e.g. one row per attribution target.</summary>
    public InMemorySegmentationSource Select(IReadOnlyList<int> indices) =>
        new(indices.Select(i => examples[i]).ToArray(), NumClasses, size, indices.Select(i => pixels[i]).ToArray());
    public IReadOnlyList<long> ImageIds { get; }
    public int NumClasses { get; }

    public (Tensor Images, Tensor Labels) Load(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(start));
        int plane = 3 * size * size;
        var images = new float[count * plane];
        var labels = new long[count * size * size];
        for (int i = 0; i < count; i++)
        {
            var e = examples[start + i];
            var px = pixels[start + i] ??= ImagePixelLoader.Load(e.ImagePath, size);
            Array.Copy(px, 0, images, i * plane, plane);
            for (int j = 0; j < e.Labels.Length; j++) labels[i * size * size + j] = e.Labels[j];
        }
        return (torch.tensor(images, [count, 3, size, size]), torch.tensor(labels, [count, size, size]));
    }
}
