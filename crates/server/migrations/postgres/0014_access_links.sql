-- PostgreSQL twin of ../0014_access_links.sql.
CREATE TABLE access_links (
    token_hash   TEXT PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('reset', 'first_access', 'invitation')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);
CREATE INDEX access_links_customer ON access_links(customer_id);
CREATE INDEX access_links_expires ON access_links(expires_at);
