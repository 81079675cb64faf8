using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Plugins;

namespace AttributionExplorer.Web.Services;

/// <summary>What is attributed on a held-out image: a target kind and, by the kind's selector, a COCO category id or
/// an annotation id.</summary>
public sealed record TargetKey(string Kind, int? CategoryCocoId = null, long? AnnotationId = null)
{
    public static readonly TargetKey FullImage = new(TargetKinds.Image);
    public bool Matches(AttributionTarget t) => t.Kind == Kind && t.CategoryCocoId == CategoryCocoId && t.AnnotationId == AnnotationId;

    /// <summary>The key of a stored target, read through its kind's selector.</summary>
    public static TargetKey Of(AttributionTarget t, TargetSelector selector) => selector switch
    {
        TargetSelector.Category => new(t.Kind, t.CategoryCocoId),
        TargetSelector.Annotation => new(t.Kind, t.CategoryCocoId, t.AnnotationId),
        _ => new(t.Kind),
    };

    /// <summary>How the key reads in a URL: the kind alone ("image"), or kind:number where the number is what the
    /// kind's selector names, always a COCO id ("class:17" = COCO category 17, "object:9001" = COCO annotation 9001;
    /// <paramref name="annotationCocoId"/> maps the stored annotation id to it).</summary>
    public string ToQuery(TargetSelector selector, Func<long, long> annotationCocoId) => selector switch
    {
        TargetSelector.Category => $"{Kind}:{CategoryCocoId}",
        TargetSelector.Annotation => $"{Kind}:{(AnnotationId is { } id ? annotationCocoId(id) : null)}",
        _ => Kind,
    };
}
