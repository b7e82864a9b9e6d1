-- Survey answers from the survey kit (portal or a widget on a firm's site). One row per Idempotency-Key:
-- the UNIQUE constraint is what makes a retried or doubled submission land exactly once.
-- `request_sha256` is the SHA-256 of the canonical JSON of the parsed response, so a retry can be told
-- apart from a different submission that reuses the key.
-- Anonymous answers have no customer; a deleted customer's answers are kept without the link.
CREATE TABLE survey_responses (
    id                  TEXT PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,
    request_sha256      TEXT NOT NULL,
    customer_id         INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    instrument_id       TEXT NOT NULL,
    instrument_version  TEXT NOT NULL,
    instrument_hash     TEXT NOT NULL,
    -- English title at the time of answering, for the account history.
    instrument_title    TEXT NOT NULL,
    respondent_id       TEXT,
    answers             TEXT NOT NULL CHECK (json_valid(answers)),
    meta                TEXT NOT NULL CHECK (json_valid(meta)),
    scores              TEXT NOT NULL CHECK (json_valid(scores)),
    received_at         TEXT NOT NULL
);
CREATE INDEX survey_responses_customer ON survey_responses(customer_id, received_at);
