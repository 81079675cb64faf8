using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Data;

/// <summary>Seeded random images and label maps (blocky regions of random classes) for throughput measurements,
/// where content does not matter but shapes and dtypes must match a real source.</summary>
public sealed class SyntheticSegmentationSource : ISegmentationSource
{
    private readonly int size;
    private readonly long seed;

    public SyntheticSegmentationSource(int count, int numClasses, int size, long seed)
    {
        if (count < 1 || numClasses < 2 || size < 8) throw new ArgumentOutOfRangeException(nameof(count), "need ≥ 1 example, ≥ 2 classes, size ≥ 8");
        Count = count;
        NumClasses = numClasses;
        this.size = size;
        this.seed = seed;
        ImageIds = Enumerable.Range(1, count).Select(i => (long)i).ToArray();
    }

    public int Count { get; }
    public IReadOnlyList<long> ImageIds { get; }
    public int NumClasses { get; }

    public (Tensor Images, Tensor Labels) Load(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(start));
        using var generator = new torch.Generator(unchecked((ulong)(seed * 7919 + start + 1)));
        var images = torch.randn(count, 3, size, size, generator: generator);
        int cells = Math.Max(1, size / 8);
        var coarse = torch.randint(0, NumClasses, [count, 1, cells, cells], generator: generator).to(ScalarType.Float32);
        var labels = nn.functional.interpolate(coarse, size: [size, size], mode: InterpolationMode.Nearest).squeeze(1).to(ScalarType.Int64);
        return (images, labels);
    }
}
