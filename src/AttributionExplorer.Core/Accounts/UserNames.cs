namespace AttributionExplorer.Core.Accounts;

/// <summary>User names: 1–64 letters, digits and - . _ @ + (ASP.NET Core Identity's default alphabet), compared
/// case-insensitively through <see cref="Normalize"/> (Identity's upper-invariant lookup normalizer).</summary>
public static class UserNames
{
    public const int MaxLength = 64;
    public const string AllowedPunctuation = "-._@+";

    public static string Normalize(string name) => name.Normalize().ToUpperInvariant();

    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "name: must not be empty";
        if (name.Length > MaxLength) return $"name: {name.Length} characters is over the limit of {MaxLength}";
        foreach (char c in name)
            if (!char.IsAsciiLetterOrDigit(c) && !AllowedPunctuation.Contains(c))
                return $"name: '{c}' is not allowed (letters, digits and {AllowedPunctuation} only)";
        return null;
    }
}
