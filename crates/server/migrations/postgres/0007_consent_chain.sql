-- Tamper-evident consent log: each record holds the hash of the same customer's previous record (64 zeros
-- for their first), inside its own hashed text. Records written before this migration have none; they
-- cannot be updated (append-only), so the chain begins after them.
ALTER TABLE consent_records ADD COLUMN prev_sha256 TEXT;
-- One successor per record: the chain of a customer can never fork.
CREATE UNIQUE INDEX consent_records_chain ON consent_records(customer_id, prev_sha256);
