namespace AttributionExplorer.Core.Accounts;

/// <summary>What a password must be, checked where one is set (the `precompute users` CLI and the web app's Identity
/// validator). Length over composition (NIST SP 800-63B): no required character classes, but no short, repetitive or
/// name-containing passwords. Each refusal names its rule.</summary>
public static class PasswordRules
{
    public const int DefaultMinLength = 12;
    public const int MaxLength = 256;
    public const int MinDistinctCharacters = 5;

    public static string? Problem(string? password, string userName, int minLength = DefaultMinLength)
    {
        if (string.IsNullOrEmpty(password)) return "password: must not be empty (rule: required)";
        if (password.Length < minLength) return $"password: {password.Length} characters is too short (rule: at least {minLength} characters)";
        if (password.Length > MaxLength) return $"password: {password.Length} characters is too long (rule: at most {MaxLength} characters)";
        if (password.Distinct().Count() < MinDistinctCharacters)
            return $"password: too repetitive (rule: at least {MinDistinctCharacters} different characters)";
        if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
            return "password: contains the user name (rule: must not contain the user name)";
        return null;
    }
}
