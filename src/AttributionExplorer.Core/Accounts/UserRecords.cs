namespace AttributionExplorer.Core.Accounts;

/// <summary>A user as stored. <see cref="PasswordHash"/> is ASP.NET Core Identity's PasswordHasher format (null: the
/// user signs in only through OpenID Connect). <see cref="SecurityStamp"/> changes whenever the password, role or
/// tokens change, which signs out every cookie issued before; <see cref="ConcurrencyStamp"/> changes on every write.</summary>
public sealed record UserRecord(
    long Id, string Name, string NormalizedName, string Role, string? PasswordHash, string SecurityStamp, string ConcurrencyStamp,
    int AccessFailedCount, DateTimeOffset? LockoutEndUtc, bool LockoutEnabled, DateTime CreatedUtc)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnabled && LockoutEndUtc is { } end && end > now;
}

/// <summary>What a new user needs; the repository fills in id, stamps and times.</summary>
public sealed record NewUser(string Name, string Role, string? PasswordHash);

/// <summary>An API token's record (never the token itself).</summary>
public sealed record ApiTokenRecord(long Id, long UserId, string Label, DateTime CreatedUtc, DateTime? LastUsedUtc, DateTime? RevokedUtc);

/// <summary>An identity at an external provider (OpenID Connect) linked to a user.</summary>
public sealed record ExternalLogin(string Provider, string ProviderKey, long UserId, string DisplayName);

/// <summary>Thrown when a user name is taken (names are compared normalized).</summary>
public sealed class DuplicateUserException(string name) : Exception($"name: a user named '{name}' exists already")
{
    public string Name { get; } = name;
}
