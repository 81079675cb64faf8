using AttributionExplorer.Core.Domain;
using AttributionExplorer.Precompute.Trak.Outputs;

namespace AttributionExplorer.Precompute.Trak.Targets;

/// <summary>One TRAK target: which held-out example it is computed on, what it means, and its model-output function.</summary>
public sealed record PlannedTarget(int ExampleIndex, NewTarget Target, ITargetOutput Output);
