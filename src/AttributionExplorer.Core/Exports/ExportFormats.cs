using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Exports;

/// <summary>The download formats of an export. Images are written in the order given (the export's, ascending id).</summary>
public static class ExportFormats
{
    public const string Text = "txt";
    public const string Csv = "csv";
    public const string Json = "json";
    public const string Coco = "coco";

    public static readonly IReadOnlyList<string> All = [Text, Csv, Json, Coco];

    public static string ContentType(string format) => format switch
    {
        Text => "text/plain; charset=utf-8",
        Csv => "text/csv; charset=utf-8",
        Json or Coco => "application/json",
        _ => throw new ArgumentException($"format: '{format}' is not one of {string.Join(", ", All)}"),
    };

    /// <summary>e.g. export-12-kept-228.txt; the COCO file is export-12-kept-228-coco.json.</summary>
    public static string FileName(ExportRecord export, string format) => format switch
    {
        Text or Csv or Json => $"export-{export.Id}-kept-{export.ImageCount}.{format}",
        Coco => $"export-{export.Id}-kept-{export.ImageCount}-coco.json",
        _ => throw new ArgumentException($"format: '{format}' is not one of {string.Join(", ", All)}"),
    };

    /// <summary>One COCO image id per line.</summary>
    public static string PlainText(IReadOnlyList<ImageRecord> images)
    {
        var text = new StringBuilder();
        foreach (var image in images) text.Append(image.CocoId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>coco_id,file_name with RFC 4180 quoting; lines end in CRLF as that RFC asks. Database ids never leave
    /// the app: images are named by their COCO id.</summary>
    public static string CsvTable(IReadOnlyList<ImageRecord> images)
    {
        var csv = new StringBuilder("coco_id,file_name\r\n");
        foreach (var image in images)
            csv.Append(image.CocoId.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvField(image.FileName)).Append("\r\n");
        return csv.ToString();
    }

    public static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>{"export":{…},"rule":{…},"coco_ids":[COCO ids]}.</summary>
    public static byte[] JsonDocument(ExportRecord export, IReadOnlyList<ImageRecord> images)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("export");
            w.WriteNumber("id", export.Id);
            w.WriteNumber("dataset_id", export.DatasetId);
            w.WriteString("author", export.Author);
            w.WriteString("created_utc", export.CreatedUtc);
            w.WriteNumber("image_count", export.ImageCount);
            w.WriteString("sha256", export.Sha256);
            w.WriteEndObject();
            w.WritePropertyName("rule");
            w.WriteRawValue(export.Rule.ToJson());
            w.WriteStartArray("coco_ids");
            foreach (var image in images) w.WriteNumberValue(image.CocoId);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
