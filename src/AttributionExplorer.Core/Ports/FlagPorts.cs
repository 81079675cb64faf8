using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Ports;

public interface IFlagRepository
{
    FlagRecord? Get(long imageId);
    /// <summary>Sets a training image's flag if it is still at <paramref name="expectedVersion"/> (0: not flagged yet):
    /// upserts it, bumps its version and appends the change to its history in one transaction. Otherwise writes nothing
    /// and returns a conflict carrying the current flag.</summary>
    FlagSaveResult Save(long datasetId, long imageId, string state, string? note, string author, int expectedVersion);
    /// <summary>Changes of an image's flag, newest first.</summary>
    IReadOnlyList<FlagChange> History(long imageId, int limit = int.MaxValue);
    /// <summary>Flags of a dataset (of one state, or all when <paramref name="state"/> is null), most recently changed first.</summary>
    IReadOnlyList<FlagRecord> List(long datasetId, string? state, int offset, int limit);
    int Count(long datasetId, string? state);
    IReadOnlySet<long> FlaggedImageIds(long datasetId, IEnumerable<string> states);
}
