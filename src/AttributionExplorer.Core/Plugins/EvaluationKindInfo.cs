namespace AttributionExplorer.Core.Plugins;

/// <summary>The presentation-side description of an evaluation kind: its key (as stored with each evaluation run),
/// title, what it measures, and the CLI verb that runs it (`precompute eval {Verb}`).</summary>
public sealed record EvaluationKindInfo(string Name, string Title, string Explanation, string Verb, int Order);
