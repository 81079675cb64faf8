using System.Security.Cryptography;
using System.Text;

namespace AttributionExplorer.Core.Accounts;

/// <summary>Per-user API tokens: "ae_" + 43 base64url characters (256 random bits), shown once when made; only their
/// SHA-256 is stored. A token this long needs no slow hash: guessing one is as hard as guessing the random bits.</summary>
public static class ApiTokens
{
    public const string Prefix = "ae_";

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the token as given.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether the text has a token's shape (cheap check before any database look-up).</summary>
    public static bool LooksLikeToken(string? text) =>
        text is { Length: 46 } && text.StartsWith(Prefix, StringComparison.Ordinal) &&
        text.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
