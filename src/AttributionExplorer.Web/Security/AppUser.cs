using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Web.Security;

/// <summary>ASP.NET Core Identity's view of a stored user: mutable, because Identity changes a user in memory and then
/// asks the store to save it (<see cref="SqliteUserStore.UpdateAsync"/>).</summary>
public sealed class AppUser
{
    public long Id { get; set; }
    public string UserName { get; set; } = "";
    public string NormalizedUserName { get; set; } = "";
    public string Role { get; set; } = UserRoles.Viewer;
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = "";
    public int AccessFailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    public bool LockoutEnabled { get; set; } = true;
    public DateTime CreatedUtc { get; set; }

    public static AppUser From(UserRecord r) => new()
    {
        Id = r.Id, UserName = r.Name, NormalizedUserName = r.NormalizedName, Role = r.Role, PasswordHash = r.PasswordHash,
        SecurityStamp = r.SecurityStamp, ConcurrencyStamp = r.ConcurrencyStamp, AccessFailedCount = r.AccessFailedCount,
        LockoutEnd = r.LockoutEndUtc, LockoutEnabled = r.LockoutEnabled, CreatedUtc = r.CreatedUtc,
    };

    public UserRecord ToRecord() => new(Id, UserName, NormalizedUserName, Role, PasswordHash, SecurityStamp, ConcurrencyStamp, AccessFailedCount,
        LockoutEnd, LockoutEnabled, CreatedUtc);

    /// <summary>Takes over what the store wrote (id, stamps), so the next update names the right concurrency stamp.</summary>
    public void CopyFrom(UserRecord r)
    {
        Id = r.Id;
        NormalizedUserName = r.NormalizedName;
        SecurityStamp = r.SecurityStamp;
        ConcurrencyStamp = r.ConcurrencyStamp;
        CreatedUtc = r.CreatedUtc;
    }
}
