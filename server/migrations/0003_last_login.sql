-- When each operator last logged in (epoch ms); NULL until their first login.
ALTER TABLE operators ADD COLUMN last_login_ms INTEGER;
