using System.Text.Json;

namespace AttributionExplorer.Precompute.Datasets.Coco;

/// <summary>Typed access to one JSON record's fields with errors that name file, record and field.</summary>
internal sealed class Fields(string file, string record, JsonElement element)
{
    public string File => file;
    public string Record => record;
    public JsonElement Element => element;

    public Fields WithId(long id) => new(file, $"{record} (id {id})", element);

    public CocoFormatException Error(string field, string problem) => new(file, record, field, problem);

    public JsonElement Required(string name)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error("(record)", "must be an object");
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(name, "missing");
        return value;
    }

    public long Long(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long result)) throw Error(name, $"must be an integer, got {v}");
        return result;
    }

    public long? OptionalLong(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Long(name) : null;

    public int PositiveInt(string name)
    {
        long v = Long(name);
        if (v <= 0 || v > 100_000) throw Error(name, $"must be a positive pixel count, got {v}");
        return (int)v;
    }

    public string String(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString())) throw Error(name, "must be a non-empty string");
        return v.GetString()!;
    }

    public string? OptionalString(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
