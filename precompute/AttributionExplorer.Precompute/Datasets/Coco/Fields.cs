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
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long result)) throw Error(name, $"must be an integer from {long.MinValue} to {long.MaxValue}, got {Shown(v)}");
        return result;
    }

    public long? OptionalLong(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Long(name) : null;

    /// <summary>An integer in [min, max]; values outside are refused, never wrapped.</summary>
    public long Long(string name, long min, long max)
    {
        long v = Long(name);
        if (v < min || v > max) throw Error(name, $"must be an integer from {min} to {max}, got {v}");
        return v;
    }

    public int Int(string name, int min, int max) => (int)Long(name, min, max);

    public int PositiveInt(string name) => Int(name, 1, int.MaxValue);

    public string String(string name)
    {
        var v = Required(name);
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString())) throw Error(name, "must be a non-empty string");
        return v.GetString()!;
    }

    /// <summary>A value as it appears in an error message, cut so a huge field does not make a huge message.</summary>
    public static string Shown(JsonElement value)
    {
        string text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }

    public string? OptionalString(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
