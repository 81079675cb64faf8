using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Precompute.Trak;

/// <param name="ProjectionDim">k; 0 = no projection (exact features, tiny models only).</param>
/// <param name="Lambda">Ridge relative to the mean diagonal of ΦᵀΦ (see KernelInverse).</param>
/// <param name="BatchSize">Examples per per-example-gradient batch.</param>
/// <param name="Threads">libtorch intra-op threads; 0 = 1 (see TorchThreads).</param>
/// <param name="ProjectionBufferBytes">Raw gradients buffered before one projection call (see TrakFeaturizer).</param>
/// <param name="ProjectionCacheBytes">Keep the generated projection matrix between calls when it fits (see RandomProjector); 0 = never.</param>
/// <param name="Gradients">How per-example gradients are computed; both give the same gradients (the batched method
/// is tested against the loop). The loop stays the default: with oneDNN off, `precompute bench` measured it slightly
/// faster than the batched method at demo size and 4× faster at 224 px (README, Throughput).</param>
public sealed record TrakSettings(int ProjectionDim, ProjectionKind ProjectionKind, long ProjectionSeed, double Lambda, int BatchSize,
    int Threads = 0, long ProjectionBufferBytes = TrakFeaturizer.DefaultProjectionBufferBytes, GradientMethod Gradients = GradientMethod.Loop,
    long ProjectionCacheBytes = TrakSettings.DefaultProjectionCacheBytes)
{
    /// <summary>Off: on the shared 2-core machine, multiplying by the kept 422 MB demo matrix measured no faster than
    /// regenerating it block by block (generation is cheap next to reading the matrix back from memory).</summary>
    public const long DefaultProjectionCacheBytes = 0;

    /// <summary>The projector these settings name for rows of <paramref name="inputDim"/> numbers: identity when
    /// ProjectionDim ≤ 0 or when the gradient computer projects already (structured), else the seeded random projection
    /// (keeping its matrix when it fits <paramref name="cacheBytes"/>; dispose it then).</summary>
    public IProjector CreateProjector(long inputDim, long cacheBytes = 0) =>
        ProjectionDim <= 0 || ProjectionKind == ProjectionKind.Structured ? new NoOpProjector(inputDim)
        : ProjectionKind == ProjectionKind.Srht ? Srht(inputDim)
        : new RandomProjector(ProjectionKind, inputDim, ProjectionDim, ProjectionSeed, cacheBytes: cacheBytes);

    private SrhtProjector Srht(long inputDim)
    {
        try
        {
            return new SrhtProjector(inputDim, ProjectionDim, ProjectionSeed);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "outputDim")
        {
            // The bound depends on the model's size, so it cannot be checked with the other options at start-up.
            throw new ArgumentException($"Trak:ProjectionDim = {ProjectionDim} (AttributionExplorer:Trak:ProjectionDim, or " +
                $"AttributionExplorer:Demo:Trak:ProjectionDim for the demo) is too large for the SRHT of a model with {inputDim} parameters: " +
                $"at most {WalshHadamard.PaddedSize(inputDim)}", e);
        }
    }

    /// <summary>The gradient computer these settings name: exact per-example gradients (loop or batched), or, for the
    /// structured projection, rows already projected to about ProjectionDim numbers.</summary>
    public IPerExampleGradients CreateGradients(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model)
    {
        if (ProjectionKind != ProjectionKind.Structured || ProjectionDim <= 0) return PerExampleGradients.Create(model, Gradients);
        try
        {
            return new KroneckerProjectedGradients(model, ProjectionDim, ProjectionSeed);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "k")
        {
            // The minimum depends on the model's layers, so it cannot be checked with the other options at start-up.
            throw new ArgumentException($"Trak:ProjectionDim = {ProjectionDim} (AttributionExplorer:Trak:ProjectionDim, or " +
                $"AttributionExplorer:Demo:Trak:ProjectionDim for the demo) is too small for this model: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }
}

public sealed record TrakProgress(string Stage, int Checkpoint, int Done, int Total);

/// <summary>Ensemble-averaged scores [targets][train] and wall seconds per stage. <see cref="RecomputedGradients"/> is
/// always 0: non-finite gradients are no longer retried but reported as errors (see GradientCheck); the field stays
/// for the stored run timings.</summary>
public sealed record TrakResult(float[][] Scores, IReadOnlyDictionary<string, double> SecondsByStage, long ParameterCount, int RecomputedGradients);
