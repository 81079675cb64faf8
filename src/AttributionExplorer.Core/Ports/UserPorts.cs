using AttributionExplorer.Core.Accounts;

namespace AttributionExplorer.Core.Ports;

/// <summary>Users, their API tokens and external logins (migration 0012). The web app's ASP.NET Core Identity stores
/// and the `precompute users` CLI both go through this port.</summary>
public interface IUserRepository
{
    /// <summary>Creates a user with fresh stamps; throws <see cref="DuplicateUserException"/> when the normalized name
    /// is taken and <see cref="ArgumentException"/> for an invalid name or role.</summary>
    UserRecord Create(NewUser user);
    UserRecord? Get(long id);
    UserRecord? FindByNormalizedName(string normalizedName);
    /// <summary>All users, by name.</summary>
    IReadOnlyList<UserRecord> List();
    int CountWithRole(string role);
    /// <summary>Writes every field of <paramref name="user"/> if the stored row still has
    /// <paramref name="expectedConcurrencyStamp"/>, with a new concurrency stamp; returns the stored user, or null when
    /// it changed in between (or is gone).</summary>
    UserRecord? Update(UserRecord user, string expectedConcurrencyStamp);
    /// <summary>Removes the user with their tokens and logins; false when there was none.</summary>
    bool Delete(long id);

    /// <summary>Stores a token's hash for a user; returns the token's record.</summary>
    ApiTokenRecord AddToken(long userId, string tokenHash, string label);
    /// <summary>The live (not revoked) token with this hash and its user, or null.</summary>
    (UserRecord User, ApiTokenRecord Token)? FindByTokenHash(string tokenHash);
    IReadOnlyList<ApiTokenRecord> ListTokens(long userId);
    /// <summary>Records a use (at most once a minute per token, to keep reads cheap).</summary>
    void MarkTokenUsed(long tokenId, DateTime nowUtc);
    /// <summary>Revokes one token of the user, or all of them when <paramref name="tokenId"/> is null; returns how many.</summary>
    int RevokeTokens(long userId, long? tokenId);

    void AddLogin(ExternalLogin login);
    UserRecord? FindByLogin(string provider, string providerKey);
    IReadOnlyList<ExternalLogin> ListLogins(long userId);
    bool RemoveLogin(long userId, string provider, string providerKey);
}
