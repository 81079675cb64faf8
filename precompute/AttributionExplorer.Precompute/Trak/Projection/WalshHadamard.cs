using static TorchSharp.torch;

namespace AttributionExplorer.Precompute.Trak.Projection;

/// <summary>The unnormalized Walsh–Hadamard transform in Sylvester order, H[i, j] = (−1)^popcount(i &amp; j), applied to
/// each row of x [B, n] with n a power of two. H_n = H_a ⊗ H_b ⊗ …, so the transform is a few small dense
/// multiplications, one per group of index bits (n·Σ size operations instead of the n² of the matrix), each a
/// matmul that libtorch runs at full speed; the index bits of one group are never more than
/// <paramref name="maxFactorBits"/>.</summary>
public static class WalshHadamard
{
    public const int DefaultMaxFactorBits = 6;

    public static Tensor Transform(Tensor x, int maxFactorBits = DefaultMaxFactorBits)
    {
        if (x.dim() != 2) throw new ArgumentException($"expected [B, n], got [{string.Join(", ", x.shape)}]", nameof(x));
        long rows = x.shape[0], n = x.shape[1];
        int bits = Log2(n);
        using var scope = NewDisposeScope();
        var y = x;
        long before = 1, after = n;
        foreach (int factorBits in Factors(bits, maxFactorBits))
        {
            long size = 1L << factorBits;
            after /= size;
            var h = Matrix(size, x.dtype, x.device);
            // [B·before, size, after]: the factor acts on the middle index (H is symmetric). Moving each axis last with a
            // transposing copy for a plain 2-D matmul instead measured 1.5× slower here.
            y = after == 1
                ? y.reshape(rows * before, size).matmul(h)
                : h.matmul(y.reshape(rows * before, size, after));
            before *= size;
        }
        return y.reshape(rows, n).MoveToOuterDisposeScope();
    }

    /// <summary>The dense Sylvester matrix H_size (for the factors, and as the tests' oracle).</summary>
    public static Tensor Matrix(long size, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var i = arange(size, ScalarType.Int64).unsqueeze(1);
        var j = arange(size, ScalarType.Int64).unsqueeze(0);
        var and = i.bitwise_and(j);
        var parity = zeros_like(and);
        for (long bit = 1; bit < size; bit <<= 1) parity.add_(and.bitwise_and(bit).ne(0).to(ScalarType.Int64));
        return parity.remainder(2).mul(-2).add(1).to(dtype).to(device ?? CPU);
    }

    /// <summary>Splits <paramref name="bits"/> into as few groups of at most <paramref name="maxFactorBits"/> as
    /// possible, as equal as possible.</summary>
    public static IReadOnlyList<int> Factors(int bits, int maxFactorBits)
    {
        if (maxFactorBits < 1) throw new ArgumentOutOfRangeException(nameof(maxFactorBits));
        if (bits == 0) return [];
        int groups = (bits + maxFactorBits - 1) / maxFactorBits;
        return Enumerable.Range(0, groups).Select(g => bits / groups + (g < bits % groups ? 1 : 0)).ToArray();
    }

    public static long PaddedSize(long n) => n <= 1 ? 1 : 1L << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)));

    private static int Log2(long n) => n > 0 && (n & (n - 1)) == 0
        ? System.Numerics.BitOperations.Log2((ulong)n)
        : throw new ArgumentException($"the transform length must be a power of two, got {n}");
}
