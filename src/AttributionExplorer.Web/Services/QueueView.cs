using System.Globalization;
using AttributionExplorer.Core.Domain;

namespace AttributionExplorer.Web.Services;

/// <summary>Everything that places a reviewer in the label-error queue — detector, filters, page, the planted-errors
/// switch — as it reads in the address (method, state, class, min, max, page, planted), so a reload, the back button
/// or a shared link restore the same view. <see cref="Min"/> and <see cref="Max"/> are in the detector's own score
/// units; <see cref="Class"/> is a COCO category id.</summary>
public sealed record QueueView(string? Method = null, string? State = null, int? Class = null, double? Min = null, double? Max = null,
    int Page = 1, bool Planted = false)
{
    public QueueFilter Filter => new(State, Class, Min, Max);

    /// <summary>The query string ("" for the default view), parameters in a fixed order, defaults left out.</summary>
    public string ToQueryString() => Query(includePage: true);

    /// <summary>The same view in a training image's address (no page or planted switch: the image page finds its place
    /// in the queue from its rank), e.g. "&amp;method=confidence&amp;state=unflagged".</summary>
    public string FilterSuffix()
    {
        string query = (this with { Page = 1, Planted = false }).ToQueryString();
        return query.Length == 0 ? "" : "&" + query[1..];
    }

    private string Query(bool includePage)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null) parts.Add($"{key}={Uri.EscapeDataString(value)}");
        }
        Add("method", Method);
        Add("state", State);
        Add("class", Class?.ToString(CultureInfo.InvariantCulture));
        Add("min", Min?.ToString("R", CultureInfo.InvariantCulture));
        Add("max", Max?.ToString("R", CultureInfo.InvariantCulture));
        if (includePage && Page > 1) Add("page", Page.ToString(CultureInfo.InvariantCulture));
        if (Planted) Add("planted", "true");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
