using System.Security.Cryptography;
using AttributionExplorer.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace AttributionExplorer.Worker.Accounts;

/// <summary>A refusal the operator can act on; the message names the field, the rule or the command to use.</summary>
public sealed class UserAdminException(string message) : Exception(message);

/// <summary>A user with what the list shows about them.</summary>
public sealed record UserSummary(UserRecord User, int LiveTokens, IReadOnlyList<ExternalLogin> Logins);

/// <summary>What `precompute users` does, over the user port. Passwords are hashed with ASP.NET Core Identity's
/// PasswordHasher (the web app verifies them with the same one); every change of password or role gets a new
/// security stamp, which ends the user's sign-in cookies at their next check (within a minute).</summary>
public sealed class UserAdmin(IUserRepository users, int passwordMinLength = PasswordRules.DefaultMinLength)
{
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    public UserRecord Add(string name, string role, string? password, bool externalOnly)
    {
        if (UserNames.Problem(name) is { } badName) throw new UserAdminException(badName);
        if (UserRoles.Problem(role) is { } badRole) throw new UserAdminException(badRole);
        if (users.FindByNormalizedName(UserNames.Normalize(name)) is { } existing)
            throw new UserAdminException($"name: a user named '{existing.Name}' exists already (change it with `users role` or `users password`)");
        string? hash = null;
        if (!externalOnly)
        {
            CheckPassword(password, name);
            hash = Hasher.HashPassword(default!, password!);
        }
        else if (password is not null) throw new UserAdminException("--password: an --external user signs in through OpenID Connect only and has no password");
        try { return users.Create(new NewUser(name, role, hash)); }
        catch (DuplicateUserException e) { throw new UserAdminException(e.Message); }
    }

    public IReadOnlyList<UserSummary> List() =>
        users.List().Select(u => new UserSummary(u, users.ListTokens(u.Id).Count(t => t.RevokedUtc is null), users.ListLogins(u.Id))).ToList();

    public UserRecord SetRole(string name, string role)
    {
        if (UserRoles.Problem(role) is { } badRole) throw new UserAdminException(badRole);
        var user = Find(name);
        if (user.Role == role) return user;
        if (user.Role == UserRoles.Admin) RefuseLastAdmin(user, "change the role of");
        return Save(user, user with { Role = role, SecurityStamp = NewStamp() });
    }

    public void Remove(string name)
    {
        var user = Find(name);
        if (user.Role == UserRoles.Admin) RefuseLastAdmin(user, "remove");
        users.Delete(user.Id);
    }

    public UserRecord SetPassword(string name, string? password)
    {
        var user = Find(name);
        CheckPassword(password, user.Name);
        return Save(user, user with { PasswordHash = Hasher.HashPassword(user, password!), SecurityStamp = NewStamp(), AccessFailedCount = 0, LockoutEndUtc = null });
    }

    public UserRecord Unlock(string name)
    {
        var user = Find(name);
        return Save(user, user with { AccessFailedCount = 0, LockoutEndUtc = null });
    }

    /// <summary>A new API token for the user; the token itself is returned once and never stored.</summary>
    public (string Token, ApiTokenRecord Record) NewToken(string name, string label)
    {
        var user = Find(name);
        if (label.Length > 100) throw new UserAdminException($"--label: {label.Length} characters is over the limit of 100");
        string token = ApiTokens.New();
        return (token, users.AddToken(user.Id, ApiTokens.Hash(token), label));
    }

    public int RevokeTokens(string name, long? tokenId)
    {
        var user = Find(name);
        if (tokenId is { } id && users.ListTokens(user.Id).All(t => t.Id != id))
            throw new UserAdminException($"--id: user '{user.Name}' has no token {id} (see `users list`)");
        return users.RevokeTokens(user.Id, tokenId);
    }

    /// <summary>Creates the demo's admin with a random password, written to <paramref name="file"/> readable by its
    /// owner only, unless an admin exists already. Returns the admin's name and whether it was made now.</summary>
    public (string Name, bool Created) EnsureDemoAdmin(string file, string name = "admin")
    {
        var admin = users.List().FirstOrDefault(u => u.Role == UserRoles.Admin);
        if (admin is not null) return (admin.Name, false);
        if (users.FindByNormalizedName(UserNames.Normalize(name)) is { } taken)
            throw new UserAdminException($"a user named '{taken.Name}' exists but is no admin: make them one with `users role --name {taken.Name} --role admin`");
        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        if (File.Exists(file)) File.Delete(file);
        // Created with mode 0600 from the start, so the password is never readable by others, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(new FileStream(file, options)))
            writer.Write($"user: {name}\npassword: {password}\n");
        try { Add(name, UserRoles.Admin, password, externalOnly: false); }
        catch
        {
            File.Delete(file);
            throw;
        }
        return (name, true);
    }

    private void CheckPassword(string? password, string name)
    {
        if (PasswordRules.Problem(password, name, passwordMinLength) is { } weak) throw new UserAdminException(weak);
    }

    private UserRecord Find(string name) =>
        users.FindByNormalizedName(UserNames.Normalize(name)) ?? throw new UserAdminException($"--name: no user named '{name}' (see `users list`)");

    private void RefuseLastAdmin(UserRecord user, string verb)
    {
        if (users.CountWithRole(UserRoles.Admin) <= 1)
            throw new UserAdminException($"'{user.Name}' is the only admin: add another admin before you {verb} them");
    }

    private UserRecord Save(UserRecord read, UserRecord changed) =>
        users.Update(changed, read.ConcurrencyStamp) ?? throw new UserAdminException($"user '{read.Name}' changed while this ran (signed in or edited elsewhere); run the command again");

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
