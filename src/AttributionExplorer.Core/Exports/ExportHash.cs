using System.Text;

namespace AttributionExplorer.Core.Exports;

/// <summary>The identity of a kept id list: SHA-256 (lowercase hex) of the ascending database image ids,
/// each written in invariant decimal and followed by '\n'.</summary>
public static class ExportHash
{
    public static string Of(IEnumerable<long> imageIds)
    {
        var text = new StringBuilder();
        foreach (long id in imageIds.Order()) text.Append(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        return Hashing.Sha256Hex.Of(text.ToString());
    }
}
