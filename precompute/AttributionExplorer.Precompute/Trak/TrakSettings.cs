using AttributionExplorer.Precompute.Trak.Projection;

namespace AttributionExplorer.Precompute.Trak;

public sealed record TrakSettings(int ProjectionDim, ProjectionKind ProjectionKind, long ProjectionSeed, double Lambda, int BatchSize, int Threads = 0);

public sealed record TrakProgress(string Stage, int Checkpoint, int Done, int Total);

/// <summary>Ensemble-averaged scores [targets][train] and wall seconds per stage.</summary>
public sealed record TrakResult(float[][] Scores, IReadOnlyDictionary<string, double> SecondsByStage, long ParameterCount, int RecomputedGradients);
