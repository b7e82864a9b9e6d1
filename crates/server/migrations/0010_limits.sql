-- Rate-limit counters in the database, so that every server instance on it counts against the same
-- limits (sign-in attempts, password changes, anonymous survey answers, confirmation messages). A row
-- is locked for the length of one decision (see src/limits.rs); `expires_ms` says when it no longer
-- matters and may be removed. Times are milliseconds since 1970 (UTC).
CREATE TABLE limit_counters (
    key TEXT PRIMARY KEY,
    n INTEGER NOT NULL,
    since_ms INTEGER NOT NULL,
    until_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX limit_counters_expires ON limit_counters (expires_ms);
-- Addresses an account signed in from, which skip the account's sign-in delay.
CREATE TABLE sign_in_known (
    address TEXT NOT NULL,
    account TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (address, account)
);
CREATE INDEX sign_in_known_at ON sign_in_known (at_ms);
