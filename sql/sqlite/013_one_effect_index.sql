-- One index on a transaction's effect account, not two: (effect_account, created_at) with the same
-- predicate answers everything the single-column index did, and every write of an effect paid for
-- both. No query reads the older one.
DROP INDEX IF EXISTS ix_transactions_effect_account;
