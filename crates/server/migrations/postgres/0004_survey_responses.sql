-- PostgreSQL twin of ../0004_survey_responses.sql. `rowid` stands in for SQLite's implicit row number:
-- the latest answer of a customer is found by time, then by insertion order.
CREATE TABLE survey_responses (
    id                  TEXT PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,
    request_sha256      TEXT NOT NULL,
    customer_id         BIGINT REFERENCES customers(id) ON DELETE SET NULL,
    instrument_id       TEXT NOT NULL,
    instrument_version  TEXT NOT NULL,
    instrument_hash     TEXT NOT NULL,
    instrument_title    TEXT NOT NULL,
    respondent_id       TEXT,
    answers             TEXT NOT NULL CHECK (answers::jsonb IS NOT NULL),
    meta                TEXT NOT NULL CHECK (meta::jsonb IS NOT NULL),
    scores              TEXT NOT NULL CHECK (scores::jsonb IS NOT NULL),
    received_at         TEXT NOT NULL,
    rowid               BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE INDEX survey_responses_customer ON survey_responses(customer_id, received_at);
