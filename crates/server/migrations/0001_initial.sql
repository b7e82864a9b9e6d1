-- Customers, sessions and the transaction history the portal shows.
-- Times are RFC 3339 UTC text; money is integer cents.

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    customer_since  TEXT NOT NULL
);

-- Only a SHA-256 of the session token is stored: a leaked database does not leak live sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_customer ON sessions(customer_id);

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    number       TEXT NOT NULL UNIQUE,
    placed_at    TEXT NOT NULL,
    status       TEXT NOT NULL,
    total_cents  INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    ship_to      TEXT NOT NULL
);
CREATE INDEX orders_customer_placed ON orders(customer_id, placed_at DESC, id DESC);

CREATE TABLE order_items (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku               TEXT NOT NULL,
    name              TEXT NOT NULL,
    category          TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL
);
CREATE INDEX order_items_order ON order_items(order_id);

CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    number        TEXT NOT NULL UNIQUE,
    issued_at     TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL
);
CREATE INDEX invoices_order ON invoices(order_id);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    paid_at       TEXT NOT NULL,
    amount_cents  INTEGER NOT NULL,
    method        TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice_id);

CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    carrier          TEXT NOT NULL,
    tracking_number  TEXT NOT NULL,
    shipped_at       TEXT,
    expected_at      TEXT,
    delivered_at     TEXT
);
CREATE INDEX shipments_order ON shipments(order_id);

CREATE TABLE carrier_events (
    id           INTEGER PRIMARY KEY,
    shipment_id  INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    status       TEXT NOT NULL,
    location     TEXT NOT NULL,
    description  TEXT NOT NULL
);
CREATE INDEX carrier_events_shipment ON carrier_events(shipment_id, at);

-- Post-transaction requests: returns, complaints, warranty claims, each with its own status history.
CREATE TABLE service_requests (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    order_id     INTEGER REFERENCES orders(id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('return', 'complaint', 'warranty')),
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    description  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX service_requests_customer ON service_requests(customer_id, created_at DESC);

CREATE TABLE service_request_events (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES service_requests(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL
);
CREATE INDEX service_request_events_request ON service_request_events(request_id, at);

-- Contacts between the firm and the customer (calls, e-mails, chats) for the account history.
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    channel      TEXT NOT NULL,
    subject      TEXT NOT NULL
);
CREATE INDEX contacts_customer ON contacts(customer_id, at DESC);
