using System.Text.Json;

namespace AttributionExplorer.Web.Services;

/// <summary>A table made from a JSON array of objects: one row per object, one column per (flattened) key.</summary>
public sealed record JsonTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>Any JSON results made readable without knowing their shape: the top-level values as "key: value" pairs
/// (nested objects flattened with dots), each array of objects as a table; numbers in the page's metric format.</summary>
public static class ReadableJson
{
    public static (IReadOnlyList<KeyValuePair<string, string>> Values, IReadOnlyList<JsonTable> Tables) Read(string? json)
    {
        var values = new List<KeyValuePair<string, string>>();
        var tables = new List<JsonTable>();
        if (string.IsNullOrWhiteSpace(json)) return (values, tables);
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException) { return ([new("value", json)], tables); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) values.Add(new("value", Plain(root)));
            else Walk("", root, values, tables);
        }
        return (values, tables);
    }

    private static void Walk(string prefix, JsonElement element, List<KeyValuePair<string, string>> values, List<JsonTable> tables)
    {
        foreach (var property in element.EnumerateObject())
        {
            string key = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any()) Walk(key, value, values, tables);
            else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Object))
                tables.Add(Table(key, value));
            else values.Add(new(key, Plain(value)));
        }
    }

    private static JsonTable Table(string name, JsonElement array)
    {
        var rows = array.EnumerateArray().Select(item =>
        {
            var cells = new List<KeyValuePair<string, string>>();
            Cells("", item, cells);
            return cells;
        }).ToList();
        var columns = rows.SelectMany(r => r.Select(c => c.Key)).Distinct().ToList();
        return new JsonTable(name, columns, rows
            .Select(r => (IReadOnlyList<string>)columns.Select(c => r.FirstOrDefault(x => x.Key == c).Value ?? "").ToList()).ToList());
    }

    private static void Cells(string prefix, JsonElement element, List<KeyValuePair<string, string>> cells)
    {
        foreach (var property in element.EnumerateObject())
        {
            string key = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any()) Cells(key, property.Value, cells);
            else cells.Add(new(key, Plain(property.Value)));
        }
    }

    private static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "—",
        JsonValueKind.Number => value.TryGetInt64(out long whole) ? whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : EvaluationCatalog.Number(value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
            "[" + string.Join(", ", value.EnumerateArray().Select(Plain)) + "]",
        _ => value.GetRawText(),
    };
}
