using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

/// <summary>Subsampled randomized Hadamard transform (the "fast" Johnson–Lindenstrauss transform): φ = (1/√p)·S·H·D·g,
/// with D a seeded ±1 diagonal over the p parameters, g zero-padded to n = 2^⌈log₂ p⌉, H the unnormalized
/// Walsh–Hadamard transform (<see cref="WalshHadamard"/>) and S a seeded choice of k distinct rows of H. Each output is
/// g's inner product with a ±1 vector, the k vectors orthogonal, so E[φ·φ'] = (k/p)·g·g' — the scale of the dense
/// Gaussian/Rademacher projection (<see cref="RandomProjector"/>) — at O(n log n) per example instead of O(p·k), and no
/// matrix is generated or held: only D (p signs) and S (k indices). Rows are transformed in chunks of at most
/// <see cref="ChunkElements"/> numbers, so memory stays bounded whatever the batch.</summary>
public sealed class SrhtProjector : IProjector
{
    private readonly Tensor signs;
    private readonly Tensor rows;
    private readonly Dictionary<string, (Tensor Signs, Tensor Rows)> onDevice = [];

    public SrhtProjector(long inputDim, int outputDim, long seed, long chunkElements = 1L << 25)
    {
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim));
        PaddedDim = WalshHadamard.PaddedSize(inputDim);
        if (outputDim < 1 || outputDim > PaddedDim)
            throw new ArgumentOutOfRangeException(nameof(outputDim), $"k = {outputDim} must be between 1 and the padded dimension {PaddedDim}");
        InputDim = inputDim;
        OutputDim = outputDim;
        ChunkElements = chunkElements;
        using var generator = new torch.Generator(unchecked((ulong)(seed * 1_000_003L + 7_919)));
        signs = torch.rand(inputDim, generator: generator).lt_(0.5).mul_(2).sub_(1).DetachFromDisposeScope();
        rows = ChooseRows(PaddedDim, outputDim, generator).DetachFromDisposeScope();
    }

    /// <summary>k distinct row indices in [0, n), seeded: a permutation's head when n is modest; for a large n (a
    /// permutation of 2^26 rows would be half a gigabyte) uniform draws with the repeats dropped, which is the same
    /// distribution (a uniformly random k-subset, in a uniformly random order).</summary>
    private static Tensor ChooseRows(long n, int k, torch.Generator generator)
    {
        if (n <= 1L << 22 || 2L * k > n) return torch.randperm(n, generator: generator).narrow(0, 0, k);
        var seen = new HashSet<long>();
        var chosen = new List<long>(k);
        while (chosen.Count < k)
        {
            using var draw = torch.randint(0, n, [2L * (k - chosen.Count)], generator: generator, dtype: ScalarType.Int64);
            foreach (long row in draw.data<long>())
                if (chosen.Count < k && seen.Add(row)) chosen.Add(row);
        }
        return torch.tensor(chosen.ToArray());
    }

    public long InputDim { get; }
    public int OutputDim { get; }
    /// <summary>n: the transform length, the power of two at or above p.</summary>
    public long PaddedDim { get; }
    public long ChunkElements { get; }
    /// <summary>D's diagonal [p] and S's rows [k] (for tests and diagnostics).</summary>
    public Tensor Signs => signs;
    public Tensor Rows => rows;

    public Tensor Project(Tensor gradients)
    {
        if (gradients.shape[1] != InputDim)
            throw new ArgumentException($"gradients have {gradients.shape[1]} columns, projector expects {InputDim}");
        var (d, s) = On(gradients.device);
        long count = gradients.shape[0], chunk = Math.Max(1, ChunkElements / PaddedDim);
        using var outer = torch.NewDisposeScope();
        var result = torch.empty(count, OutputDim, dtype: ScalarType.Float32, device: gradients.device);
        for (long start = 0; start < count; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            long take = Math.Min(chunk, count - start);
            var padded = torch.zeros(take, PaddedDim, dtype: ScalarType.Float32, device: gradients.device);
            padded.narrow(1, 0, InputDim).copy_(gradients.narrow(0, start, take).to(ScalarType.Float32).mul(d));
            result.narrow(0, start, take).copy_(WalshHadamard.Transform(padded).index_select(1, s));
        }
        result.div_(Math.Sqrt(InputDim));
        return result.MoveToOuterDisposeScope();
    }

    private (Tensor Signs, Tensor Rows) On(Device device)
    {
        if (device.type == DeviceType.CPU) return (signs, rows);
        string key = device.ToString();
        if (!onDevice.TryGetValue(key, out var kept))
            onDevice[key] = kept = (signs.to(device).DetachFromDisposeScope(), rows.to(device).DetachFromDisposeScope());
        return kept;
    }
}
