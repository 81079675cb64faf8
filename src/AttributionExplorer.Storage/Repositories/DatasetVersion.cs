using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AttributionExplorer.Core.Masks;
using AttributionExplorer.Core.Ports;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>A dataset's content version: SHA-256 over its categories, images (id, split, file, size) and annotations
/// (id, class, crowd, mask), streamed so COCO-sized imports never build one big string. It enters every run identity.</summary>
internal static class DatasetVersion
{
    public static string Of(DatasetImport import)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string line) => hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        foreach (var c in import.Categories.OrderBy(c => c.CocoId)) Add(FormattableString.Invariant($"c {c.CocoId} {c.Name} {c.ModelIndex}"));
        foreach (var image in import.Images.OrderBy(i => i.CocoId))
        {
            Add(FormattableString.Invariant($"i {image.CocoId} {image.Split} {image.FileName} {image.Width} {image.Height}"));
            foreach (var a in image.Annotations.OrderBy(a => a.CocoId))
                Add(FormattableString.Invariant($"a {a.CocoId} {a.CategoryCocoId} {(a.IsCrowd ? 1 : 0)} {a.Mask.Height} {a.Mask.Width} {RleCodec.ToCompressedString(a.Mask.Counts)}"));
        }
        foreach (var e in import.PlantedErrors.OrderBy(e => e.ImageCocoId)) Add(string.Create(CultureInfo.InvariantCulture, $"e {e.ImageCocoId} {e.Kind}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
