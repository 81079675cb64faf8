using AttributionExplorer.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace AttributionExplorer.Web.Security;

/// <summary>ASP.NET Core Identity's user store over the storage port (no Entity Framework, no second database):
/// passwords, security stamps, lockout and external (OpenID Connect) logins. Roles are one per user and become a
/// claim in <see cref="AppClaimsPrincipalFactory"/>.</summary>
public sealed class SqliteUserStore(IUserRepository users) :
    IUserPasswordStore<AppUser>, IUserSecurityStampStore<AppUser>, IUserLockoutStore<AppUser>, IUserLoginStore<AppUser>
{
    public Task<IdentityResult> CreateAsync(AppUser user, CancellationToken cancellationToken)
    {
        try
        {
            user.CopyFrom(users.Create(new NewUser(user.UserName, user.Role, user.PasswordHash)));
            return Task.FromResult(IdentityResult.Success);
        }
        catch (DuplicateUserException e)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(e.Name)));
        }
    }

    public Task<IdentityResult> UpdateAsync(AppUser user, CancellationToken cancellationToken)
    {
        var saved = users.Update(user.ToRecord(), user.ConcurrencyStamp);
        if (saved is null) return Task.FromResult(IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure()));
        user.CopyFrom(saved);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityResult> DeleteAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult(users.Delete(user.Id) ? IdentityResult.Success : IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure()));

    public Task<AppUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(long.TryParse(userId, out long id) && users.Get(id) is { } r ? AppUser.From(r) : null);

    public Task<AppUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult(users.FindByNormalizedName(normalizedUserName) is { } r ? AppUser.From(r) : null);

    public Task<string> GetUserIdAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public Task<string?> GetUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);
    public Task SetUserNameAsync(AppUser user, string? userName, CancellationToken cancellationToken) => Set(() => user.UserName = userName ?? "");
    public Task<string?> GetNormalizedUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);
    public Task SetNormalizedUserNameAsync(AppUser user, string? normalizedName, CancellationToken cancellationToken) => Set(() => user.NormalizedUserName = normalizedName ?? "");

    public Task SetPasswordHashAsync(AppUser user, string? passwordHash, CancellationToken cancellationToken) => Set(() => user.PasswordHash = passwordHash);
    public Task<string?> GetPasswordHashAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(AppUser user, string stamp, CancellationToken cancellationToken) => Set(() => user.SecurityStamp = stamp);
    public Task<string?> GetSecurityStampAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);
    public Task SetLockoutEndDateAsync(AppUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken) => Set(() => user.LockoutEnd = lockoutEnd);
    public Task<int> IncrementAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Set(() => user.AccessFailedCount = 0);
    public Task<int> GetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);
    public Task SetLockoutEnabledAsync(AppUser user, bool enabled, CancellationToken cancellationToken) => Set(() => user.LockoutEnabled = enabled);

    public Task AddLoginAsync(AppUser user, UserLoginInfo login, CancellationToken cancellationToken) =>
        Set(() => users.AddLogin(new ExternalLogin(login.LoginProvider, login.ProviderKey, user.Id, login.ProviderDisplayName ?? login.LoginProvider)));
    public Task RemoveLoginAsync(AppUser user, string loginProvider, string providerKey, CancellationToken cancellationToken) =>
        Set(() => users.RemoveLogin(user.Id, loginProvider, providerKey));
    public Task<IList<UserLoginInfo>> GetLoginsAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult<IList<UserLoginInfo>>(users.ListLogins(user.Id).Select(l => new UserLoginInfo(l.Provider, l.ProviderKey, l.DisplayName)).ToList());
    public Task<AppUser?> FindByLoginAsync(string loginProvider, string providerKey, CancellationToken cancellationToken) =>
        Task.FromResult(users.FindByLogin(loginProvider, providerKey) is { } r ? AppUser.From(r) : null);

    private static Task Set(Action change)
    {
        change();
        return Task.CompletedTask;
    }

    public void Dispose() { }
}
