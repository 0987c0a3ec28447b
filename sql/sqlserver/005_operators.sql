-- Operator identities: API keys with roles (the private key encrypted at rest, looked up by its
-- hash), short-lived bearer tokens bought with an HMAC exchange (stored as hashes), the nonces
-- those exchanges used, an append-only audit trail of every operator write, the Data Protection
-- key ring every instance shares, and soft-deleted webhook endpoints (their history stays readable).

CREATE TABLE api_keys (
    id            nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    name          nvarchar(200)  NOT NULL,
    -- Role names, comma-separated.
    roles         nvarchar(1000) NOT NULL,
    public_key    nvarchar(100)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ux_api_keys_public_key UNIQUE,
    -- Data Protection ciphertext: the HMAC check needs the key itself.
    private_key   nvarchar(2000) NOT NULL,
    -- Lower-case hex SHA-256 of the private key as sent in X-Api-Key.
    key_hash      nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ux_api_keys_key_hash UNIQUE,
    created_at    datetimeoffset(7) NOT NULL,
    expires_at    datetimeoffset(7) NULL,
    revoked_at    datetimeoffset(7) NULL,
    last_used_at  datetimeoffset(7) NULL
);

CREATE TABLE access_tokens (
    token_hash  nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    key_id      nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_access_tokens_key REFERENCES api_keys (id),
    created_at  datetimeoffset(7) NOT NULL,
    expires_at  datetimeoffset(7) NOT NULL
);

CREATE INDEX ix_access_tokens_key ON access_tokens (key_id);

CREATE TABLE hmac_nonces (
    public_key  nvarchar(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
    nonce       nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    seen_at     datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_hmac_nonces PRIMARY KEY (public_key, nonce)
);

CREATE INDEX ix_hmac_nonces_seen ON hmac_nonces (seen_at);

CREATE TABLE audit_log (
    id        bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    at        datetimeoffset(7) NOT NULL,
    -- Null for the bootstrap key of the configuration.
    key_id    nvarchar(64)  COLLATE Latin1_General_100_BIN2 NULL,
    key_name  nvarchar(200) NOT NULL,
    action    nvarchar(64)  NOT NULL,
    target    nvarchar(300) COLLATE Latin1_General_100_BIN2 NOT NULL,
    before_json nvarchar(max) NULL,
    after_json  nvarchar(max) NULL,
    trace_id  nvarchar(64)  NULL
);

CREATE INDEX ix_audit_log_target ON audit_log (target, id);

CREATE TABLE data_protection_keys (
    name  nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    xml   nvarchar(max) NOT NULL
);

ALTER TABLE webhook_endpoints ADD deleted_at datetimeoffset(7) NULL;
