namespace AttributionExplorer.Core.Runs;

/// <summary>The typed parameters of one run kind: a record serialized once (<see cref="RunParameters.Serialize{T}"/>)
/// and read back typed (<see cref="RunParameters.Read{T}"/>). Everything that changes the result belongs here
/// (seeds included); upstream runs are passed separately.</summary>
public interface IRunParameters
{
    /// <summary>The run kind these parameters belong to, e.g. "train", "trak.featurize", "rank.confidence".</summary>
    string RunKind { get; }
}
