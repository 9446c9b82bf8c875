-- How many times each operator's password has changed. A session remembers the value it was
-- opened with; when the password changes, the operator's other sessions no longer match and end.
ALTER TABLE operators ADD COLUMN password_epoch INTEGER NOT NULL DEFAULT 0;
