using System.Text.Json;
using AttributionExplorer.Core.Masks;

namespace AttributionExplorer.Precompute.Datasets.Coco;

/// <summary>Decodes a COCO segmentation (polygons, uncompressed RLE or pycocotools-compressed RLE) into an RLE mask
/// at the image's resolution.</summary>
internal static class CocoSegmentation
{
    private static bool TryGetInt32Safe(this JsonElement e, out int value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out value);
    }

    public static RleMask Parse(Fields f, CocoImage image)
    {
        var segmentation = f.Required("segmentation");
        if (segmentation.ValueKind == JsonValueKind.Array) return Polygons(f, segmentation, image);
        if (segmentation.ValueKind == JsonValueKind.Object) return Rle(f, segmentation, image);
        throw f.Error("segmentation", "must be a list of polygons or an RLE object");
    }

    private static RleMask Polygons(Fields f, JsonElement segmentation, CocoImage image)
    {
        var polygons = new List<double[]>();
        int k = 0;
        foreach (var polygon in segmentation.EnumerateArray())
        {
            string field = $"segmentation[{k++}]";
            if (polygon.ValueKind != JsonValueKind.Array) throw f.Error(field, "a polygon must be a list of numbers");
            var coords = new List<double>();
            foreach (var c in polygon.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out double v) || !double.IsFinite(v))
                    throw f.Error(field, $"polygon coordinates must be finite numbers, got {Fields.Shown(c)}");
                coords.Add(v);
            }
            // pycocotools reads a 4-number list as a box: a polygon needs at least 3 points.
            if (coords.Count < 6) throw f.Error(field, $"a polygon needs at least 6 numbers (3 points), got {coords.Count}");
            if (coords.Count % 2 != 0) throw f.Error(field, $"a polygon needs an even count of numbers, got {coords.Count}");
            polygons.Add(coords.ToArray());
        }
        if (polygons.Count == 0) throw f.Error("segmentation", "empty polygon list");
        var mask = PolygonRasterizer.Rasterize(polygons, image.Height, image.Width);
        return RleCodec.Encode(mask, image.Height, image.Width);
    }

    private static RleMask Rle(Fields f, JsonElement segmentation, CocoImage image)
    {
        if (!segmentation.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Array || size.GetArrayLength() != 2)
            throw f.Error("segmentation.size", "RLE needs size [height, width]");
        if (!size[0].TryGetInt32Safe(out int h) || !size[1].TryGetInt32Safe(out int w))
            throw f.Error("segmentation.size", $"[{Fields.Shown(size[0])}, {Fields.Shown(size[1])}] must be two integers [height, width]");
        if (h != image.Height || w != image.Width)
            throw f.Error("segmentation.size", $"[{h}, {w}] does not match image {image.Id} ({image.Height}×{image.Width})");
        if (!segmentation.TryGetProperty("counts", out var counts)) throw f.Error("segmentation.counts", "missing");
        int[] values;
        if (counts.ValueKind == JsonValueKind.String)
        {
            try { values = RleCodec.FromCompressedString(counts.GetString()!); }
            catch (FormatException e) { throw f.Error("segmentation.counts", e.Message); }
        }
        else if (counts.ValueKind == JsonValueKind.Array)
        {
            values = new int[counts.GetArrayLength()];
            int i = 0;
            foreach (var c in counts.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out int v) || v < 0)
                    throw f.Error("segmentation.counts", $"counts must be non-negative integers, got {Fields.Shown(c)}");
                values[i++] = v;
            }
        }
        else throw f.Error("segmentation.counts", "must be a list of integers or a compressed RLE string");
        long sum = values.Sum(v => (long)v);
        if (sum != (long)h * w) throw f.Error("segmentation.counts", $"counts sum to {sum}, expected {h}×{w} = {(long)h * w}");
        return new RleMask(h, w, values);
    }
}
