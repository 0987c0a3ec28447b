-- The status view and the gauges count overdrawn accounts on every call. Without an index that was a
-- scan of every account. A filtered index cannot compare two columns here, so a persisted computed
-- column says whether the account is overdrawn and is indexed; the count seeks is_overdrawn = 1
-- (SqlServerDialect.Overdrawn). Unverified here: no SQL Server runs on our build machines.
ALTER TABLE accounts ADD is_overdrawn AS CAST(CASE WHEN posted < held THEN 1 ELSE 0 END AS bit) PERSISTED;
EXEC ('CREATE INDEX ix_accounts_overdrawn ON accounts (is_overdrawn)');
