namespace AttributionExplorer.Core.Plugins;

/// <summary>What the number in a target key means: nothing (the whole image), a COCO category id, or an annotation id.</summary>
public enum TargetSelector { None, Category, Annotation }

/// <summary>The presentation-side description of a target kind (image, class, object, region): how its key reads in
/// a URL ("image", "class:17", "object:42") and how it is labelled.</summary>
public sealed record TargetKindInfo(string Name, string Title, TargetSelector Selector, int Order);
