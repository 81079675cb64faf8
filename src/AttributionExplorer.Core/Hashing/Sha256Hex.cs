using System.Security.Cryptography;
using System.Text;

namespace AttributionExplorer.Core.Hashing;

/// <summary>The one way this project hashes: SHA-256 as lowercase hex, of text (UTF-8), bytes, a stream or a file.</summary>
public static class Sha256Hex
{
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
    public static string Of(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Of(stream);
    }
}
