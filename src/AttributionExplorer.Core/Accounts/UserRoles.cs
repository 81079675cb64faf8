namespace AttributionExplorer.Core.Accounts;

/// <summary>The three roles, each including the one before: a viewer reads; an annotator also flags, triages and
/// exports; an admin also uploads, queues jobs and manages users.</summary>
public static class UserRoles
{
    public const string Viewer = "viewer";
    public const string Annotator = "annotator";
    public const string Admin = "admin";

    /// <summary>Lowest first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Annotator, Admin];

    public static bool IsValid(string? role) => role is Viewer or Annotator or Admin;

    /// <summary>Whether <paramref name="role"/> may do what <paramref name="required"/> may (false for an unknown role).</summary>
    public static bool Includes(string? role, string required) =>
        IsValid(role) && IsValid(required) && Rank(role!) >= Rank(required);

    public static string? Problem(string? role) =>
        IsValid(role) ? null : $"role '{role}' is unknown: use {string.Join(", ", All)}";

    private static int Rank(string role) => role switch { Viewer => 0, Annotator => 1, _ => 2 };
}
