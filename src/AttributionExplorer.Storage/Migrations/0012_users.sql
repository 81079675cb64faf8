-- Sign-in: users with one role each (viewer < annotator < admin), per-user API tokens stored as SHA-256 only, and
-- identities at external (OpenID Connect) providers linked to users. Password hashes are ASP.NET Core Identity's.
CREATE TABLE roles (
    name TEXT PRIMARY KEY,
    rank INTEGER NOT NULL UNIQUE,
    description TEXT NOT NULL
);
INSERT INTO roles (name, rank, description) VALUES
    ('viewer', 0, 'reads every page and API'),
    ('annotator', 1, 'also flags training images, triages the queue and makes exports'),
    ('admin', 2, 'also uploads images, queues jobs and manages users');
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL REFERENCES roles(name),
    password_hash TEXT,
    security_stamp TEXT NOT NULL,
    concurrency_stamp TEXT NOT NULL,
    access_failed_count INTEGER NOT NULL DEFAULT 0 CHECK (access_failed_count >= 0),
    lockout_end_utc TEXT,
    lockout_enabled INTEGER NOT NULL DEFAULT 1,
    created_utc TEXT NOT NULL
);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_sha256 TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    last_used_utc TEXT,
    revoked_utc TEXT
);
CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);
CREATE TABLE user_logins (
    provider TEXT NOT NULL,
    provider_key TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    PRIMARY KEY (provider, provider_key)
);
CREATE INDEX ix_user_logins_user ON user_logins (user_id);
