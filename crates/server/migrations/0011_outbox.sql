-- The e-mail outbox: every message to a customer (confirmation links, survey invitations, and later
-- notices and password-reset links) is first a row here, written in the transaction that decided to
-- send it. The sender of each server instance claims due rows, applies the customer's preferences at
-- send time (see src/send_rules.rs), delivers them and records the outcome. Times are RFC 3339 UTC text.
CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY,
    -- `transactional`, `service` or `marketing:<topic>`: which send-time rules apply.
    kind            TEXT NOT NULL,
    -- `email`; other channels (a phone number's confirmation) go to the server's letterbox only.
    channel         TEXT NOT NULL DEFAULT 'email',
    customer_id     INTEGER REFERENCES customers(id) ON DELETE CASCADE,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    -- When the message was meant to go out (the earliest moment; quiet hours may move it later).
    due_at          TEXT NOT NULL,
    -- When a sender may next look at it: moved on by quiet hours, by a claim, and by retry backoff.
    next_attempt_at TEXT NOT NULL,
    -- Delivery attempts made (each a talk with the mail server).
    attempts        INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
    sent_at         TEXT,
    last_error      TEXT,
    -- Why a message was not sent (`not_permitted`, `paused`, `frequency_cap`, `no_customer`).
    drop_reason     TEXT
);
CREATE INDEX outbox_messages_due ON outbox_messages (state, next_attempt_at);
CREATE INDEX outbox_messages_sent ON outbox_messages (customer_id, kind, sent_at);

-- A service request may carry the client's Idempotency-Key, so that a retry after a broken connection
-- (an instance that died mid-request) finds the stored request instead of filing it twice. Requests
-- without a key (NULL) never conflict.
ALTER TABLE service_requests ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX service_requests_idempotency ON service_requests (customer_id, idempotency_key);
