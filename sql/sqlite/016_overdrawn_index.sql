-- The status view and the gauges count overdrawn accounts on every call. Without an index that was a
-- scan of every account; this partial index holds only the overdrawn ones (usually none or a few), and
-- the count reads just those. An account write touches it only while the account is overdrawn.
CREATE INDEX ix_accounts_overdrawn ON accounts (account_no) WHERE posted < held;
