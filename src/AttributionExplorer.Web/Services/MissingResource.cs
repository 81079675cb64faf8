namespace AttributionExplorer.Web.Services;

/// <summary>What the page being rendered did not find (one per circuit or prerender): the page fills it in before it
/// calls NavigationManager.NotFound(), and the router's not-found page (Pages/NotFoundPage) says it with a link back.</summary>
public sealed class MissingResource
{
    public string Message { get; private set; } = "Nothing is at this address.";
    public string BackHref { get; private set; } = AppLinks.Datasets;
    public string BackText { get; private set; } = "See the datasets";

    public void Set(string message, string backHref, string backText)
    {
        Message = message;
        BackHref = backHref;
        BackText = backText;
    }
}
