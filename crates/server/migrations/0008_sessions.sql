-- Sessions end after a period without use; the customer sees each one's device and last use. A row
-- without a recorded use counts from its creation.
ALTER TABLE sessions ADD COLUMN last_used_at TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
CREATE INDEX sessions_expires ON sessions(expires_at);
