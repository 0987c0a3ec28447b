-- A transfer between two PPS accounts: the effect's counter is the payee's account, whose balance
-- moves with the payer's (one journal entry between the two, no settlement account).
ALTER TABLE transactions ADD COLUMN effect_counter_is_account INTEGER NOT NULL DEFAULT 0 CHECK (effect_counter_is_account IN (0, 1));
CREATE INDEX ix_transactions_effect_counter ON transactions (effect_counter) WHERE effect_counter_is_account = 1;
