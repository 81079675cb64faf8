namespace AttributionExplorer.Web.Services;

/// <summary>Who is working in this browser tab (one per circuit): entered once, used for flags and exports.</summary>
public sealed class AnnotatorSession
{
    public string Name { get; set; } = "";
}
