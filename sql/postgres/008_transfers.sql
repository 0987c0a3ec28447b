-- A transfer between two PPS accounts: the effect's counter is the payee's account, whose balance
-- moves with the payer's (one journal entry between the two, no settlement account).
ALTER TABLE transactions ADD COLUMN effect_counter_is_account boolean NOT NULL DEFAULT false;
CREATE INDEX ix_transactions_effect_counter ON transactions (effect_counter) WHERE effect_counter_is_account;
