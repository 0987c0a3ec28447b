-- The second line of defence behind the edge (docs/edge.md): balances stay within +-10^18 minor units
-- and amounts within 10^15, so no sum can wrap; a duplicate or stale receipt keeps its hash and time
-- but not its body; stand-in answers are recorded until every decision committed for them is revoked.

ALTER TABLE accounts
    ADD CONSTRAINT ck_accounts_posted_range CHECK (posted BETWEEN -1000000000000000000 AND 1000000000000000000),
    ADD CONSTRAINT ck_accounts_held_range CHECK (held <= 1000000000000000000);

ALTER TABLE transactions
    ADD CONSTRAINT ck_transactions_amount_range CHECK (amount IS NULL OR amount BETWEEN 0 AND 1000000000000000),
    ADD CONSTRAINT ck_transactions_effect_range CHECK (effect_held <= 1000000000000000 AND effect_posted BETWEEN -1000000000000000 AND 1000000000000000);

ALTER TABLE transaction_versions ALTER COLUMN raw_json DROP NOT NULL;
ALTER TABLE transaction_versions
    ADD CONSTRAINT ck_transaction_versions_body CHECK (raw_json IS NOT NULL OR outcome IN ('duplicate', 'stale', 'conflict'));

CREATE TABLE authorisation_standins (
    transaction_id  text        NOT NULL,
    version         bigint      NOT NULL,
    result          text        NOT NULL,
    result_detail   text        NOT NULL,
    reason          text        NOT NULL,
    answered_at     timestamptz NOT NULL,
    -- Set once every decision committed for the request agrees with the stand-in (see StandInResolutions).
    resolved_at     timestamptz NULL,
    resolution      text        NULL CHECK (resolution IN ('revoked', 'already_agrees', 'decided_later', 'no_decision')),
    PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_standins_open ON authorisation_standins (answered_at) WHERE resolved_at IS NULL;
