-- Operator identities: API keys with roles (the private key encrypted at rest, looked up by its
-- hash), short-lived bearer tokens bought with an HMAC exchange (stored as hashes), the nonces
-- those exchanges used, an append-only audit trail of every operator write, the Data Protection
-- key ring every instance shares, and soft-deleted webhook endpoints (their history stays readable).

CREATE TABLE api_keys (
    id            text NOT NULL PRIMARY KEY,
    name          text NOT NULL,
    -- Role names, comma-separated.
    roles         text NOT NULL,
    public_key    text NOT NULL UNIQUE,
    -- Data Protection ciphertext: the HMAC check needs the key itself.
    private_key   text NOT NULL,
    -- Lower-case hex SHA-256 of the private key as sent in X-Api-Key.
    key_hash      text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NULL,
    revoked_at    timestamptz NULL,
    last_used_at  timestamptz NULL
);

CREATE TABLE access_tokens (
    token_hash  text NOT NULL PRIMARY KEY,
    key_id      text NOT NULL REFERENCES api_keys (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX ix_access_tokens_key ON access_tokens (key_id);

CREATE TABLE hmac_nonces (
    public_key  text NOT NULL,
    nonce       text NOT NULL,
    seen_at     timestamptz NOT NULL,
    PRIMARY KEY (public_key, nonce)
);

CREATE INDEX ix_hmac_nonces_seen ON hmac_nonces (seen_at);

CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL,
    -- Null for the bootstrap key of the configuration.
    key_id    text NULL,
    key_name  text NOT NULL,
    action    text NOT NULL,
    target    text NOT NULL,
    before_json text NULL,
    after_json  text NULL,
    trace_id  text NULL
);

CREATE INDEX ix_audit_log_target ON audit_log (target, id);

CREATE TABLE data_protection_keys (
    name  text NOT NULL PRIMARY KEY,
    xml   text NOT NULL
);

ALTER TABLE webhook_endpoints ADD COLUMN deleted_at timestamptz NULL;
