-- Who at the firm looked at which customer's data, or acted on it: one row per staff request (written by
-- the staff extractor, src/access_log.rs). The customer reads their own rows; the firm exports them all.
-- A staff account that is removed leaves its rows with no name; the rows of an erased customer stay on
-- the emptied account row (they hold nothing personal but the staff member's own name).
CREATE TABLE access_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    staff_id     INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    customer_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    action       TEXT NOT NULL,
    path         TEXT NOT NULL
);
CREATE INDEX access_log_customer ON access_log(customer_id, id DESC);
CREATE INDEX access_log_at ON access_log(at);
