-- The 3-D Secure result of the newest applied version that carried one; its liability and
-- indicators are derived from it by the service (ORIAN's table), so only the value as sent is kept.
ALTER TABLE transactions ADD COLUMN secure_auth_result text NULL;
