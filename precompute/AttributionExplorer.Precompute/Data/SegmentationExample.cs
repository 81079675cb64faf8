namespace AttributionExplorer.Precompute.Data;

/// <summary>One example at model resolution: the image file and its S×S label map (255 = ignore).</summary>
public sealed record SegmentationExample(long ImageId, string ImagePath, byte[] Labels);
