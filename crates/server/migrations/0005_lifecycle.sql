-- Relationship lifecycle: staff accounts, survey invitations triggered by order events and time, answers
-- linked to the order they are about, and what the firm did about an answer ("you said / we did").

-- Staff sign in like customers but see the staff pages; they have no customer data of their own.
ALTER TABLE customers ADD COLUMN role TEXT NOT NULL DEFAULT 'customer'
    CHECK (role IN ('customer', 'staff'));

-- The order an answer is about, when it was given through an invitation for that order.
ALTER TABLE survey_responses ADD COLUMN order_id INTEGER REFERENCES orders(id) ON DELETE SET NULL;

-- `dedupe_key` names the event an invitation is for (`order_delivered:<order>`,
-- `periodic:<customer>:<period>`, `win_back:<customer>:<half-year>`); UNIQUE makes evaluating the
-- triggers twice, or concurrently, store each invitation once.
CREATE TABLE survey_invitations (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    instrument_id  TEXT NOT NULL,
    trigger        TEXT NOT NULL CHECK (trigger IN ('order_delivered', 'periodic', 'win_back')),
    order_id       INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    dedupe_key     TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    emailed        INTEGER NOT NULL DEFAULT 0 CHECK (emailed IN (0, 1)),
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'answered', 'dismissed')),
    response_id    TEXT REFERENCES survey_responses(id) ON DELETE SET NULL
);
CREATE INDEX survey_invitations_customer ON survey_invitations(customer_id, status, created_at DESC);

-- "You said / we did": what staff did in response to an answer, shown to the customer who gave it.
CREATE TABLE survey_actions (
    id           INTEGER PRIMARY KEY,
    response_id  TEXT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    staff_id     INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX survey_actions_response ON survey_actions(response_id, id);
