using System.Globalization;
using System.Text.Json;
using AttributionExplorer.Core.Evaluation;

namespace AttributionExplorer.Web.Services;

/// <summary>Formatting helpers of the Evaluation page (parameters as key: value pairs, the counterfactual table, number
/// formats) and the commands it names. Which evaluations exist, with their titles and explanations, comes from the
/// plug-in catalog (<see cref="AttributionExplorer.Core.Plugins.IPluginCatalog.Evaluations"/>).</summary>
public static class EvaluationCatalog
{
    public const string Worker = "dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll";

    /// <summary>The command that runs one evaluation verb ("all" for every one) on a dataset; the demo is evaluated
    /// with the Demo section's sizes.</summary>
    public static string Command(string verb, string datasetName) =>
        $"{Worker} eval {verb} --dataset {datasetName}" + (datasetName == "demo" ? " --demo-sizes" : "");

    public static string AllCommand(string datasetName) => Command("all", datasetName);

    /// <summary>A JSON object's values as "key: value" pairs, nested objects flattened with dots ("curation.seeds"),
    /// arrays of plain values joined with commas. Anything that is not an object comes back as one "value" entry.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(string? json)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(json)) return list;
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException) { return [new("value", json)]; }
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object) Flatten("", document.RootElement, list);
            else list.Add(new("value", Plain(document.RootElement)));
        }
        return list;
    }

    private static void Flatten(string prefix, JsonElement element, List<KeyValuePair<string, string>> list)
    {
        foreach (var property in element.EnumerateObject())
        {
            string key = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any()) Flatten(key, property.Value, list);
            else list.Add(new(key, Plain(property.Value)));
        }
    }

    private static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "—",
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
            "[" + string.Join(", ", value.EnumerateArray().Select(Plain)) + "]",
        _ => value.GetRawText(),
    };

    /// <summary>Counterfactual cells pivoted: one row per method (in order of appearance), one column per distinct
    /// number removed (ascending); a missing cell is null.</summary>
    public static (IReadOnlyList<int> Removed, IReadOnlyList<(string Method, IReadOnlyList<MeanWithError?> Cells)> Rows) CounterfactualTable(CounterfactualResult result)
    {
        var removed = result.Cells.Select(c => c.Removed).Distinct().Order().ToList();
        var rows = result.Cells.Select(c => c.Method).Distinct()
            .Select(m => (m, (IReadOnlyList<MeanWithError?>)removed
                .Select(k => result.Cells.FirstOrDefault(c => c.Method == m && c.Removed == k)?.LossIncrease).ToList()))
            .ToList();
        return (removed, rows);
    }

    /// <summary>A metric value: three decimals, or below 0.001 (not zero) three significant digits in plain decimals
    /// ("0.000400") — never scientific notation; "—" when not a number.</summary>
    public static string Number(double value) => value switch
    {
        double.NaN => "—",
        _ when double.IsInfinity(value) => value > 0 ? "∞" : "−∞",
        0 => "0.000",
        _ when Math.Abs(value) >= 1000 => value.ToString("0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 0.001 => value.ToString("0.000", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) < 1e-12 => value > 0 ? "<0.000000000001" : ">−0.000000000001",
        _ => value.ToString("F" + (2 - (int)Math.Floor(Math.Log10(Math.Abs(value)))), CultureInfo.InvariantCulture),
    };

    public static string Signed(double value) => value > 0 ? "+" + Number(value) : Number(value);

    public static string MeanSe(MeanWithError? value) => value is null ? "—" : $"{Number(value.Mean)} ± {Number(value.StandardError)}";

    public static string SignedMeanSe(MeanWithError value) => $"{Signed(value.Mean)} ± {Number(value.StandardError)}";

    /// <summary>"mean [low, high]"; the bounds are "—" when there is no interval (one seed).</summary>
    public static string Interval(MeanInterval value) => $"{Number(value.Mean)} [{Number(value.Low)}, {Number(value.High)}]";

    public static string SignedInterval(MeanInterval value) => $"{Signed(value.Mean)} [{Signed(value.Low)}, {Signed(value.High)}]";

    public static string Utc(DateTime? time) => time is null ? "—" : time.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(double seconds) => seconds < 120
        ? seconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s ({TimeSpan.FromSeconds(seconds):h\\:mm\\:ss})";
}
