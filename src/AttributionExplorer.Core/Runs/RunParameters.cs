using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AttributionExplorer.Core.Runs;

/// <summary>The one serialization of run parameters, and the identity rule: SHA-256 over kind, dataset, the dataset's
/// content version, the canonical parameter JSON and the upstream run ids.</summary>
public static class RunParameters
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Parameters recorded before typed records existed used other casings.
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // The kind is the run's own column, not one of its parameters.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (!typeof(IRunParameters).IsAssignableFrom(info.Type)) return;
                    foreach (var property in info.Properties.Where(p => p.Name == "runKind").ToList()) info.Properties.Remove(property);
                },
            },
        },
    };

    public static string Serialize<T>(T parameters) where T : IRunParameters => JsonSerializer.Serialize(parameters, JsonOptions);

    public static T Read<T>(RunRecord run) where T : IRunParameters
    {
        var parameters = JsonSerializer.Deserialize<T>(run.ParametersJson, JsonOptions)
            ?? throw new InvalidDataException($"run {run.Id}: parameters_json is empty");
        if (parameters.RunKind != run.Kind) throw new InvalidOperationException($"run {run.Id} is a {run.Kind} run, not {parameters.RunKind}");
        return parameters;
    }

    public static string Identity(string kind, long datasetId, string datasetVersion, string parametersJson, IEnumerable<long> upstream)
    {
        string text = string.Join('\n', kind, datasetId, datasetVersion, parametersJson, string.Join(',', upstream.Order()));
        return Hashing.Sha256Hex.Of(text);
    }
}
