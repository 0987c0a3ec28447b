-- Operator identities: API keys with roles (the private key encrypted at rest, looked up by its
-- hash), short-lived bearer tokens bought with an HMAC exchange (stored as hashes), the nonces
-- those exchanges used, an append-only audit trail of every operator write, the Data Protection
-- key ring every instance shares, and soft-deleted webhook endpoints (their history stays readable).

CREATE TABLE api_keys (
    id            TEXT NOT NULL PRIMARY KEY,
    name          TEXT NOT NULL,
    -- Role names, comma-separated.
    roles         TEXT NOT NULL,
    public_key    TEXT NOT NULL UNIQUE,
    -- Data Protection ciphertext: the HMAC check needs the key itself.
    private_key   TEXT NOT NULL,
    -- Lower-case hex SHA-256 of the private key as sent in X-Api-Key.
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NULL,
    revoked_at    TEXT NULL,
    last_used_at  TEXT NULL
);

CREATE TABLE access_tokens (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    key_id      TEXT NOT NULL REFERENCES api_keys (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE INDEX ix_access_tokens_key ON access_tokens (key_id);

CREATE TABLE hmac_nonces (
    public_key  TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (public_key, nonce)
);

CREATE INDEX ix_hmac_nonces_seen ON hmac_nonces (seen_at);

CREATE TABLE audit_log (
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    -- Null for the bootstrap key of the configuration.
    key_id    TEXT NULL,
    key_name  TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    before_json TEXT NULL,
    after_json  TEXT NULL,
    trace_id  TEXT NULL
);

CREATE INDEX ix_audit_log_target ON audit_log (target, id);

CREATE TABLE data_protection_keys (
    name  TEXT NOT NULL PRIMARY KEY,
    xml   TEXT NOT NULL
);

ALTER TABLE webhook_endpoints ADD COLUMN deleted_at TEXT NULL;
