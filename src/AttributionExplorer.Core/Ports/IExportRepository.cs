using AttributionExplorer.Core.Exports;

namespace AttributionExplorer.Core.Ports;

public interface IExportRepository
{
    /// <summary>Stores an export (rule, author, kept ids in ascending order and their hash) in one transaction; returns its id.
    /// Throws when the dataset does not exist, the rule is invalid or an id is not an image of the dataset.</summary>
    long Save(long datasetId, string author, ExportRule rule, IReadOnlyList<long> keptImageIds);
    ExportRecord? Get(long exportId);
    /// <summary>Exports of a dataset, newest first.</summary>
    IReadOnlyList<ExportRecord> List(long datasetId, int offset, int limit);
    /// <summary>The kept image ids in stored order (ascending).</summary>
    IReadOnlyList<long> GetImageIds(long exportId);
}
