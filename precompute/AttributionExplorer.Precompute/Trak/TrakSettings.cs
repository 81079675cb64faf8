using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Precompute.Trak;

/// <param name="ProjectionDim">k; 0 = no projection (exact features, tiny models only).</param>
/// <param name="Lambda">Ridge relative to the mean diagonal of ΦᵀΦ (see KernelInverse).</param>
/// <param name="BatchSize">Examples per per-example-gradient batch.</param>
/// <param name="Threads">libtorch intra-op threads; 0 = 1 (see TorchThreads).</param>
/// <param name="ProjectionBufferBytes">Raw gradients buffered before one projection call (see TrakFeaturizer).</param>
public sealed record TrakSettings(int ProjectionDim, ProjectionKind ProjectionKind, long ProjectionSeed, double Lambda, int BatchSize,
    int Threads = 0, long ProjectionBufferBytes = TrakFeaturizer.DefaultProjectionBufferBytes);

public sealed record TrakProgress(string Stage, int Checkpoint, int Done, int Total);

/// <summary>Ensemble-averaged scores [targets][train] and wall seconds per stage.</summary>
public sealed record TrakResult(float[][] Scores, IReadOnlyDictionary<string, double> SecondsByStage, long ParameterCount, int RecomputedGradients);
