using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Web.Services;

/// <summary>What the review layers are made of: the ensemble's prediction of an image (the per-pixel vote of every
/// checkpoint with a stored prediction of it), the annotation at the prediction's resolution, where the two differ,
/// and the pixels of a selected object or class.</summary>
public static class ReviewLayers
{
    /// <summary>The vote of <see cref="CheckpointIds"/>'s stored predictions, <see cref="Size"/>² at model resolution
    /// (the image resized on its short side and center-cropped, as the models saw it).</summary>
    public sealed record Ensemble(IReadOnlyList<long> CheckpointIds, int Size, byte[] Labels);

    /// <summary>The ensemble's prediction of the image, or null when no checkpoint of its dataset stored one.</summary>
    public static Ensemble? Prediction(ICheckpointRepository checkpoints, ImageRecord image)
    {
        var stored = checkpoints.List(image.DatasetId)
            .Select(c => checkpoints.GetPrediction(c.Id, image.Id)).OfType<PredictionRecord>()
            .Where(p => p.Width == p.Height).ToList();
        if (stored.Count == 0) return null;
        int size = stored[0].Width;
        var members = stored.Where(p => p.Width == size).ToList();
        return new Ensemble(members.Select(p => p.CheckpointId).ToList(), size, EnsembleVote.Of(members.Select(p => p.Labels).ToList()));
    }

    /// <summary>The annotation as the models were trained on it: the semantic label map (model indices, crowd ignored)
    /// resized on the short side and center-cropped to <paramref name="size"/>², nearest neighbour.</summary>
    public static byte[] LabelsAt(ImageRecord image, IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<Category> categories, int size)
    {
        var index = categories.ToDictionary(c => c.CocoId, c => (byte)c.ModelIndex);
        var instances = annotations.Where(a => a.Mask.Height == image.Height && a.Mask.Width == image.Width)
            .Select(a => (RleCodec.Decode(a.Mask), index.GetValueOrDefault(a.CategoryCocoId), a.IsCrowd, a.Area));
        var labels = SemanticLabelMap.Build(instances, image.Height, image.Width);
        return CropGeometry.ResizeShortSideCenterCrop(image.Height, image.Width, size).ResampleLabels(labels, image.Height, image.Width);
    }

    /// <summary>Pixels (at the ensemble's resolution) where the annotation and the ensemble's prediction differ.</summary>
    public static bool[] Disagreement(ImageRecord image, IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<Category> categories, Ensemble ensemble) =>
        LabelDisagreement.Of(LabelsAt(image, annotations, categories, ensemble.Size), ensemble.Labels);

    /// <summary>The pixels (image resolution) of one annotation, or of every non-crowd annotation of one class (model
    /// index); null when neither is given or the annotation is not the image's.</summary>
    public static bool[]? Selection(ImageRecord image, IReadOnlyList<AnnotationRecord> annotations, IReadOnlyList<Category> categories,
        long? annotationId, int? modelIndex)
    {
        var cocoIds = modelIndex is { } m ? categories.Where(c => c.ModelIndex == m).Select(c => c.CocoId).ToHashSet() : [];
        var chosen = annotations.Where(a => a.Mask.Height == image.Height && a.Mask.Width == image.Width)
            .Where(a => annotationId is { } id ? a.Id == id : !a.IsCrowd && cocoIds.Contains(a.CategoryCocoId)).ToList();
        if (chosen.Count == 0 || (annotationId is null && modelIndex is null)) return null;
        var selected = new bool[image.Height * image.Width];
        foreach (var a in chosen)
        {
            var mask = RleCodec.Decode(a.Mask);
            for (int i = 0; i < mask.Length; i++) selected[i] |= mask[i];
        }
        return selected;
    }
}
