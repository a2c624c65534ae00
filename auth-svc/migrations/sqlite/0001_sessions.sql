-- Kensho sessions. Refresh tokens are stored only as SHA-256 hashes (hex); Crunchyroll tokens
-- only encrypted (`upstream`). `expires_at` is the sliding idle deadline, Unix seconds.
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    upstream TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Refresh tokens already rotated away, kept to detect reuse (which revokes the session).
CREATE TABLE used_refresh_tokens (
    refresh_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE INDEX used_refresh_tokens_by_expiry ON used_refresh_tokens (expires_at);
