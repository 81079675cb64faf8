using AttributionExplorer.Core.Accounts;
using Dapper;
using System.Data.Common;

namespace AttributionExplorer.Storage.Repositories;

public sealed class UserRepository(ISqlDatabase database) : IUserRepository
{
    private const string Columns =
        "id AS Id, name AS Name, normalized_name AS NormalizedName, role AS Role, password_hash AS PasswordHash, security_stamp AS SecurityStamp, " +
        "concurrency_stamp AS ConcurrencyStamp, access_failed_count AS AccessFailedCount, lockout_end_utc AS LockoutEndUtc, " +
        "lockout_enabled AS LockoutEnabled, created_utc AS CreatedUtc";
    private const string TokenColumns =
        "id AS Id, user_id AS UserId, label AS Label, created_utc AS CreatedUtc, last_used_utc AS LastUsedUtc, revoked_utc AS RevokedUtc";

    public UserRecord Create(NewUser user)
    {
        if (UserNames.Problem(user.Name) is { } badName) throw new ArgumentException(badName, nameof(user));
        if (UserRoles.Problem(user.Role) is { } badRole) throw new ArgumentException(badRole, nameof(user));
        using var c = database.Open();
        try
        {
            long id = c.ExecuteScalar<long>(
                "INSERT INTO users (name, normalized_name, role, password_hash, security_stamp, concurrency_stamp, created_utc) " +
                "VALUES (@Name, @normalized, @Role, @PasswordHash, @stamp, @concurrency, @now) RETURNING id",
                new { user.Name, normalized = UserNames.Normalize(user.Name), user.Role, user.PasswordHash, stamp = NewStamp(), concurrency = NewStamp(),
                    now = DapperSetup.ToText(DateTime.UtcNow) });
            return Get(c, id)!;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e, "normalized_name"))
        {
            throw new DuplicateUserException(user.Name);
        }
    }

    public UserRecord? Get(long id)
    {
        using var c = database.Open();
        return Get(c, id);
    }

    public UserRecord? FindByNormalizedName(string normalizedName)
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM users WHERE normalized_name = @normalizedName", new { normalizedName }).FirstOrDefault()?.ToRecord();
    }

    public IReadOnlyList<UserRecord> List()
    {
        using var c = database.Open();
        return c.Query<Row>($"SELECT {Columns} FROM users ORDER BY normalized_name").Select(r => r.ToRecord()).ToList();
    }

    public int CountWithRole(string role)
    {
        using var c = database.Open();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM users WHERE role = @role", new { role });
    }

    public UserRecord? Update(UserRecord user, string expectedConcurrencyStamp)
    {
        if (UserNames.Problem(user.Name) is { } badName) throw new ArgumentException(badName, nameof(user));
        if (UserRoles.Problem(user.Role) is { } badRole) throw new ArgumentException(badRole, nameof(user));
        using var c = database.Open();
        int written;
        try
        {
            written = c.Execute(
                "UPDATE users SET name = @Name, normalized_name = @normalized, role = @Role, password_hash = @PasswordHash, security_stamp = @SecurityStamp, " +
                "concurrency_stamp = @concurrency, access_failed_count = @AccessFailedCount, lockout_end_utc = @lockoutEnd, lockout_enabled = @LockoutEnabled " +
                "WHERE id = @Id AND concurrency_stamp = @expectedConcurrencyStamp",
                new { user.Name, normalized = UserNames.Normalize(user.Name), user.Role, user.PasswordHash, user.SecurityStamp, concurrency = NewStamp(),
                    user.AccessFailedCount, lockoutEnd = user.LockoutEndUtc is { } end ? DapperSetup.ToText(end.UtcDateTime) : null,
                    LockoutEnabled = user.LockoutEnabled ? 1L : 0L, user.Id, expectedConcurrencyStamp });
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e, "normalized_name"))
        {
            throw new DuplicateUserException(user.Name);
        }
        return written == 0 ? null : Get(c, user.Id);
    }

    public bool Delete(long id)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM users WHERE id = @id", new { id }) > 0;
    }

    public ApiTokenRecord AddToken(long userId, string tokenHash, string label)
    {
        if (tokenHash.Length != 64) throw new ArgumentException("tokenHash: must be a SHA-256 in hex (64 characters)", nameof(tokenHash));
        using var c = database.Open();
        long id = c.ExecuteScalar<long?>(
            "INSERT INTO api_tokens (user_id, token_sha256, label, created_utc) SELECT id, @tokenHash, @label, @now FROM users WHERE id = @userId RETURNING id",
            new { userId, tokenHash, label, now = DapperSetup.ToText(DateTime.UtcNow) })
            ?? throw new KeyNotFoundException($"user {userId} does not exist");
        return c.Query<TokenRow>($"SELECT {TokenColumns} FROM api_tokens WHERE id = @id", new { id }).Single().ToRecord();
    }

    public (UserRecord User, ApiTokenRecord Token)? FindByTokenHash(string tokenHash)
    {
        using var c = database.Open();
        var token = c.Query<TokenRow>($"SELECT {TokenColumns} FROM api_tokens WHERE token_sha256 = @tokenHash AND revoked_utc IS NULL", new { tokenHash })
            .FirstOrDefault();
        if (token is null) return null;
        var user = Get(c, token.UserId);
        return user is null ? null : (user, token.ToRecord());
    }

    public IReadOnlyList<ApiTokenRecord> ListTokens(long userId)
    {
        using var c = database.Open();
        return c.Query<TokenRow>($"SELECT {TokenColumns} FROM api_tokens WHERE user_id = @userId ORDER BY id", new { userId }).Select(t => t.ToRecord()).ToList();
    }

    public void MarkTokenUsed(long tokenId, DateTime nowUtc)
    {
        using var c = database.Open();
        c.Execute("UPDATE api_tokens SET last_used_utc = @now WHERE id = @tokenId AND (last_used_utc IS NULL OR last_used_utc < @minuteAgo)",
            new { tokenId, now = DapperSetup.ToText(nowUtc), minuteAgo = DapperSetup.ToText(nowUtc.AddMinutes(-1)) });
    }

    public int RevokeTokens(long userId, long? tokenId)
    {
        using var c = database.Open();
        return c.Execute("UPDATE api_tokens SET revoked_utc = @now WHERE user_id = @userId AND revoked_utc IS NULL AND (CAST(@tokenId AS bigint) IS NULL OR id = CAST(@tokenId AS bigint))",
            new { userId, tokenId, now = DapperSetup.ToText(DateTime.UtcNow) });
    }

    public void AddLogin(ExternalLogin login)
    {
        using var c = database.Open();
        c.Execute("INSERT INTO user_logins (provider, provider_key, user_id, display_name) VALUES (@Provider, @ProviderKey, @UserId, @DisplayName)", login);
    }

    public UserRecord? FindByLogin(string provider, string providerKey)
    {
        using var c = database.Open();
        long? id = c.ExecuteScalar<long?>("SELECT user_id FROM user_logins WHERE provider = @provider AND provider_key = @providerKey", new { provider, providerKey });
        return id is { } userId ? Get(c, userId) : null;
    }

    public IReadOnlyList<ExternalLogin> ListLogins(long userId)
    {
        using var c = database.Open();
        return c.Query<(string Provider, string Key, long UserId, string DisplayName)>(
                "SELECT provider, provider_key, user_id, display_name FROM user_logins WHERE user_id = @userId ORDER BY provider, provider_key", new { userId })
            .Select(r => new ExternalLogin(r.Provider, r.Key, r.UserId, r.DisplayName)).ToList();
    }

    public bool RemoveLogin(long userId, string provider, string providerKey)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM user_logins WHERE user_id = @userId AND provider = @provider AND provider_key = @providerKey",
            new { userId, provider, providerKey }) > 0;
    }

    private static UserRecord? Get(DbConnection c, long id) =>
        c.Query<Row>($"SELECT {Columns} FROM users WHERE id = @id", new { id }).FirstOrDefault()?.ToRecord();

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private sealed class Row
    {
        public long Id { get; set; }
        public long AccessFailedCount { get; set; }
        public long LockoutEnabled { get; set; }
        public string Name { get; set; } = "";
        public string NormalizedName { get; set; } = "";
        public string Role { get; set; } = "";
        public string SecurityStamp { get; set; } = "";
        public string ConcurrencyStamp { get; set; } = "";
        public string CreatedUtc { get; set; } = "";
        public string? PasswordHash { get; set; }
        public string? LockoutEndUtc { get; set; }

        public UserRecord ToRecord() => new(Id, Name, NormalizedName, Role, PasswordHash, SecurityStamp, ConcurrencyStamp, (int)AccessFailedCount,
            LockoutEndUtc is null ? null : new DateTimeOffset(Rows.ParseUtc(LockoutEndUtc), TimeSpan.Zero), LockoutEnabled != 0, Rows.ParseUtc(CreatedUtc));
    }

    private sealed class TokenRow
    {
        public long Id { get; set; }
        public long UserId { get; set; }
        public string Label { get; set; } = "";
        public string CreatedUtc { get; set; } = "";
        public string? LastUsedUtc { get; set; }
        public string? RevokedUtc { get; set; }

        public ApiTokenRecord ToRecord() => new(Id, UserId, Label, Rows.ParseUtc(CreatedUtc),
            LastUsedUtc is null ? null : Rows.ParseUtc(LastUsedUtc), RevokedUtc is null ? null : Rows.ParseUtc(RevokedUtc));
    }
}
