-- Daily spend counts what stands: the debit effects, as they are now, of an account's transactions
-- first seen in the UTC day. This index finds them without reading the account's whole history.
CREATE INDEX ix_transactions_effect_account_created ON transactions (effect_account, created_at) WHERE effect_held <> 0 OR effect_posted <> 0;
