namespace AttributionExplorer.Precompute.Datasets.Coco;

/// <summary>Malformed COCO input, naming the file, the record (e.g. "annotations[17] (id 42)") and the field.</summary>
public sealed class CocoFormatException(string file, string record, string field, string problem)
    : Exception($"{file}: {record}: field '{field}': {problem}")
{
    public string File { get; } = file;
    public string Record { get; } = record;
    public string Field { get; } = field;
}
