-- Customer portal: contact details, addresses, profile versions (ETags), items of service requests.
-- Defaults keep databases seeded before this migration valid.

ALTER TABLE customers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
-- Incremented on every profile change; part of the profile's ETag and the guard against lost updates.
ALTER TABLE customers ADD COLUMN profile_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE addresses (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    -- Order in which the customer entered them (the form shows them in this order).
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL CHECK (label IN ('delivery', 'billing')),
    street       TEXT NOT NULL,
    postal_code  TEXT NOT NULL,
    city         TEXT NOT NULL,
    country      TEXT NOT NULL
);
CREATE INDEX addresses_customer ON addresses(customer_id, position);

-- The order lines a request is about; none means the whole order.
CREATE TABLE service_request_items (
    request_id     INTEGER NOT NULL REFERENCES service_requests(id) ON DELETE CASCADE,
    order_item_id  INTEGER NOT NULL REFERENCES order_items(id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, order_item_id)
);
CREATE INDEX service_request_items_item ON service_request_items(order_item_id);
