using TorchSharp;
using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

/// <summary>Seeded random projection φ = (g/√p)·P, P ∈ ℝ^{p×k} Gaussian or Rademacher (as the reference: gradients
/// scaled by 1/√p, the projection itself not by 1/√k). P is regenerated in row blocks of the parameter dimension,
/// block b from its own generator seeded by (seed, b), so the whole matrix is never held and the result does not
/// depend on the batch size. When the whole matrix fits in <c>cacheBytes</c>, the blocks are kept after their first
/// use, so later calls (the targets, the next checkpoint: same p, same seed) pay only the multiplication.</summary>
public sealed class RandomProjector : IProjector, IDisposable
{
    private readonly ProjectionKind kind;
    private readonly long seed;
    private readonly int blockRows;
    private readonly Tensor?[]? cache;

    public RandomProjector(ProjectionKind kind, long inputDim, int outputDim, long seed, int blockRows = 8192, long cacheBytes = 0)
    {
        if (outputDim < 1) throw new ArgumentOutOfRangeException(nameof(outputDim));
        this.kind = kind;
        this.seed = seed;
        this.blockRows = blockRows;
        InputDim = inputDim;
        OutputDim = outputDim;
        if (inputDim * outputDim * sizeof(float) <= cacheBytes) cache = new Tensor?[(inputDim + blockRows - 1) / blockRows];
    }

    /// <summary>Whether generated blocks are kept (the matrix fits the cache budget).</summary>
    public bool Caches => cache is not null;

    public long InputDim { get; }
    public int OutputDim { get; }

    public Tensor Project(Tensor gradients)
    {
        if (gradients.shape[1] != InputDim)
            throw new ArgumentException($"gradients have {gradients.shape[1]} columns, projector expects {InputDim}");
        using var outer = torch.NewDisposeScope();
        var result = torch.zeros(gradients.shape[0], OutputDim, dtype: ScalarType.Float32, device: gradients.device);
        long blocks = (InputDim + blockRows - 1) / blockRows;
        for (long b = 0; b < blocks; b++)
        {
            using var scope = torch.NewDisposeScope();
            long start = b * blockRows, rows = Math.Min(blockRows, InputDim - start);
            var block = Cached(b, rows, gradients.device);
            result.add_(gradients.narrow(1, start, rows).to(ScalarType.Float32).matmul(block));
        }
        result.div_(Math.Sqrt(InputDim));
        return result.MoveToOuterDisposeScope();
    }

    private Tensor Cached(long index, long rows, Device device)
    {
        if (cache is null) return Block(index, rows, device);
        if (cache[index] is { } kept && kept.device == device) return kept;
        cache[index]?.Dispose();
        return cache[index] = Block(index, rows, device).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        if (cache is null) return;
        for (int i = 0; i < cache.Length; i++)
        {
            cache[i]?.Dispose();
            cache[i] = null;
        }
    }

    /// <summary>On CPU each block has its own seeded generator. TorchSharp 0.107 cannot create a CUDA generator (its
    /// native constructor ignores the device), so on CUDA the device's default generator is reseeded per block:
    /// the same seeds give a different (equally distributed) matrix than on CPU, so scores agree across devices only
    /// up to the projection's randomness.</summary>
    private Tensor Block(long index, long rows, Device device)
    {
        ulong blockSeed = unchecked((ulong)(seed * 1_000_003L + index + 1));
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.manual_seed((long)blockSeed);
            return Draw(rows, device, null);
        }
        using var generator = new torch.Generator(blockSeed);
        return Draw(rows, device, generator);
    }

    private Tensor Draw(long rows, Device device, torch.Generator? generator) => kind == ProjectionKind.Gaussian
        ? torch.randn(rows, OutputDim, generator: generator, device: device)
        // ±1 from uniform [0,1) split at ½ (exactly half of the float grid each side); 3–4× faster than randint.
        : torch.rand(rows, OutputDim, generator: generator, device: device).lt_(0.5).mul_(2).sub_(1);
}
