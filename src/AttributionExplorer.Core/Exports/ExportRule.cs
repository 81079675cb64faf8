using System.Text.Json;
using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Core.Exports;

/// <summary>How a curated subset is chosen from a dataset's training images: drop the
/// <see cref="DropBottomPercent"/>% with the most negative overall influence in run <see cref="RunId"/>
/// and every image flagged in one of <see cref="DropFlagStates"/>.</summary>
public sealed record ExportRule(long? RunId, double DropBottomPercent, IReadOnlyList<string> DropFlagStates)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The first problem with the rule, naming the field, or null when it is valid.</summary>
    public string? Problem()
    {
        if (double.IsNaN(DropBottomPercent) || DropBottomPercent < 0 || DropBottomPercent > 100)
            return $"dropBottomPercent: {DropBottomPercent} is outside 0..100";
        if (DropBottomPercent > 0 && RunId is null)
            return $"runId: dropping the bottom {DropBottomPercent}% needs the attribution run whose overall influence ranks the images";
        if (DropFlagStates is null) return "dropFlagStates: give a list (it may be empty)";
        foreach (var state in DropFlagStates)
            if (!FlagStates.All.Contains(state))
                return $"dropFlagStates: '{state}' is not a flag state (known: {string.Join(", ", FlagStates.All)})";
        return null;
    }

    public ExportRule Validated() => Problem() is { } problem ? throw new ArgumentException(problem) : this;

    /// <summary>The same rule with flag states deduplicated and sorted, so equal rules store equal JSON.</summary>
    public ExportRule Canonical() => this with { DropFlagStates = DropFlagStates.Distinct().Order(StringComparer.Ordinal).ToArray() };

    public string ToJson() => JsonSerializer.Serialize(Canonical(), Json);

    public static ExportRule FromJson(string json, string source) =>
        JsonSerializer.Deserialize<ExportRule>(json, Json) ?? throw new FormatException($"{source}: rule JSON is null");
}

/// <summary>A stored export. <see cref="Sha256"/> hashes the canonical kept id list (<see cref="ExportHash"/>).</summary>
public sealed record ExportRecord(long Id, long DatasetId, string Author, DateTime CreatedUtc, ExportRule Rule, int ImageCount, string Sha256);
