using AttributionExplorer.Core.Domain;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Demo;

/// <summary>A COCO annotation ready to serialize: segmentation is a polygon list, an uncompressed or a compressed RLE.</summary>
internal sealed record DemoAnnotation(long Id, long ImageId, int CategoryId, object Segmentation, double Area, double[] Bbox, int IsCrowd);

/// <summary>Turns a drawn scene into annotations, planting this image's label error if it has one.</summary>
internal static class DemoAnnotator
{
    /// <param name="random">Encoding choices (and, without <paramref name="planting"/>, the victim: the historical demo).</param>
    /// <param name="planting">Victim and error details from the planting stream, so scenes do not depend on the planting.</param>
    /// <param name="erroneousIds">Receives the ids of the annotations that carry the planted error (none for a missing instance).</param>
    public static List<DemoAnnotation> Annotate(DemoScene scene, long imageId, ref int nextId, string? errorKind,
        DemoErrorPlan plan, Random random, out string? detail, Random? planting = null, List<long>? erroneousIds = null)
    {
        detail = null;
        int size = scene.Size;
        var errorRandom = planting ?? random;
        var visible = scene.Instances.Select((inst, i) => (inst, i)).Where(p => p.inst.VisibleMask.Any(b => b)).ToList();
        int victim = visible.Count == 0 ? -1 : visible[errorRandom.Next(visible.Count)].i;
        var result = new List<DemoAnnotation>();
        foreach (var (instance, i) in visible)
        {
            if (errorKind == PlantedErrorKinds.MissingInstance && i == victim)
            {
                detail = $"a {instance.Class.Name} (instance {i + 1} of {scene.Instances.Count}) is drawn but not annotated";
                continue;
            }
            int category = instance.Class.CocoId;
            bool wrong = false;
            if (errorKind == PlantedErrorKinds.ClassConfusion && instance.Class == plan.ConfusedFrom)
            {
                category = plan.ConfusedTo.CocoId;
                detail = $"every {plan.ConfusedFrom.Name} is annotated as {plan.ConfusedTo.Name}";
                wrong = true;
            }
            if (errorKind == PlantedErrorKinds.WrongClass && i == victim)
            {
                var others = DemoShapes.Classes.Where(c => c != instance.Class).ToArray();
                var label = others[errorRandom.Next(others.Length)];
                category = label.CocoId;
                detail = $"annotation {nextId}: a {instance.Class.Name} is annotated as {label.Name}";
                wrong = true;
            }
            var mask = instance.VisibleMask;
            bool corrupted = i == victim && errorKind is PlantedErrorKinds.CorruptedGeometry or PlantedErrorKinds.UnderSegmented or PlantedErrorKinds.OverSegmented;
            if (corrupted && errorKind == PlantedErrorKinds.CorruptedGeometry)
            {
                mask = Shift(mask, size, size / 2, size / 3);
                detail = $"annotation {nextId} ({instance.Class.Name}): mask moved by ({size / 2}, {size / 3}) px onto the wrong region";
            }
            else if (corrupted && errorKind == PlantedErrorKinds.UnderSegmented)
            {
                mask = DemoMaskEdits.HalfPlane(mask, size, errorRandom.NextDouble() * 2 * Math.PI);
                detail = $"annotation {nextId} ({instance.Class.Name}): the mask covers only part of the object";
            }
            else if (corrupted && errorKind == PlantedErrorKinds.OverSegmented)
            {
                int radius = Math.Max(2, size / 24);
                mask = DemoMaskEdits.Dilate(mask, size, radius);
                detail = $"annotation {nextId} ({instance.Class.Name}): the mask spills {radius} px beyond the object";
            }
            if (wrong || corrupted) erroneousIds?.Add(nextId);
            bool exactOutline = !corrupted && DemoShapes.IsSimplePolygon(instance.Class.Name) && instance.VisibleMask.SequenceEqual(instance.FullMask);
            double roll = random.NextDouble();
            object segmentation;
            if (exactOutline && roll < 0.7)
            {
                var polygon = instance.Path.Points.SelectMany(p => new[] { Math.Round(p.X, 2), Math.Round(p.Y, 2) }).ToArray();
                segmentation = new[] { polygon };
                mask = PolygonRasterizer.Rasterize([polygon], size, size);
                if (!mask.Any(b => b)) continue;
            }
            else
            {
                var rle = RleCodec.Encode(mask, size, size);
                segmentation = roll < 0.85
                    ? new { size = new[] { size, size }, counts = (object)rle.Counts }
                    : new { size = new[] { size, size }, counts = (object)RleCodec.ToCompressedString(rle.Counts) };
            }
            result.Add(new DemoAnnotation(nextId++, imageId, category, segmentation, mask.Count(b => b), MaskBounds.BoundingBox(mask, size, size), 0));
        }
        if (errorKind == PlantedErrorKinds.BackgroundAnnotation)
        {
            var (cls, mask) = DemoMaskEdits.OnBackground(scene, errorRandom);
            var rle = RleCodec.Encode(mask, size, size);
            erroneousIds?.Add(nextId);
            detail = $"annotation {nextId}: a {cls.Name} annotated on empty background";
            result.Add(new DemoAnnotation(nextId++, imageId, cls.CocoId, new { size = new[] { size, size }, counts = rle.Counts },
                mask.Count(b => b), MaskBounds.BoundingBox(mask, size, size), 0));
        }
        if (scene.CrowdClass is { } crowdClass)
        {
            var union = new bool[size * size];
            foreach (var part in scene.CrowdParts) for (int p = 0; p < union.Length; p++) union[p] |= part.VisibleMask[p];
            if (union.Any(b => b))
            {
                var rle = RleCodec.Encode(union, size, size);
                result.Add(new DemoAnnotation(nextId++, imageId, crowdClass.CocoId, new { size = new[] { size, size }, counts = rle.Counts },
                    union.Count(b => b), MaskBounds.BoundingBox(union, size, size), 1));
            }
        }
        return result;
    }

    private static bool[] Shift(bool[] mask, int size, int dx, int dy)
    {
        var shifted = new bool[mask.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (mask[y * size + x]) shifted[((y + dy) % size) * size + (x + dx) % size] = true;
        return shifted;
    }
}
