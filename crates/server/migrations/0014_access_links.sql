-- Single-use links that let a customer set a password: after "forgot password", for first access, or
-- sent by staff as an invitation. Only a SHA-256 of the token is stored; a link is spent by setting
-- `used_at` (once: the update only matches an unused, unexpired row). Used and expired rows are removed
-- by the server's periodic clean-up.
CREATE TABLE access_links (
    token_hash   TEXT PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('reset', 'first_access', 'invitation')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX access_links_customer ON access_links(customer_id);
CREATE INDEX access_links_expires ON access_links(expires_at);
