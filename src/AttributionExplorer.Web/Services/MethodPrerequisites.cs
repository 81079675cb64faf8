using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Web.Services;

/// <summary>Settings a method needs before its command can compute anything, keyed by method name; a method not listed
/// needs none. The worker's registry does not publish whether a setting is in place, so the app checks its own copy.</summary>
public static class MethodPrerequisites
{
    private static readonly IReadOnlyDictionary<string, Func<AppOptions, string?>> Missing = new Dictionary<string, Func<AppOptions, string?>>
    {
        [AttributionMethods.ClipCosine] = o => o.Clip.IsConfigured ? null : "CLIP is not configured. " + ClipOptions.HowToConfigure,
    };

    /// <summary>What to set up first, or null when nothing is missing.</summary>
    public static string? MissingFor(string method, AppOptions options) =>
        Missing.TryGetValue(method, out var check) ? check(options) : null;
}
