-- Erasure carried out. An erased customer's row is not deleted but emptied: what the firm must keep
-- (the proof of consent, the record that the request was carried out, the access log) still needs a
-- row to point at, and the append-only consent records cannot be re-pointed. The row keeps only a
-- random `pseudonym` by which the consent proof can still be checked (`erased_at` says when). The
-- orders and invoices kept for tax move to a second emptied row, so that the kept consent proof and
-- the kept invoices cannot be joined through a shared id.
ALTER TABLE customers ADD COLUMN erased_at TEXT;
ALTER TABLE customers ADD COLUMN pseudonym TEXT;
CREATE UNIQUE INDEX customers_pseudonym ON customers(pseudonym);

-- Requests can now be refused, with a reason the customer sees, and name the staff member who decided.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt (nothing refers to it).
CREATE TABLE deletion_requests_v2 (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('received', 'confirmed', 'completed', 'refused')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    reason       TEXT,
    handled_by   INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    CHECK ((status = 'refused') = (reason IS NOT NULL))
);
INSERT INTO deletion_requests_v2 (id, customer_id, status, created_at, updated_at)
    SELECT id, customer_id, status, created_at, updated_at FROM deletion_requests;
DROP TABLE deletion_requests;
ALTER TABLE deletion_requests_v2 RENAME TO deletion_requests;
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests(customer_id)
    WHERE status IN ('received', 'confirmed');
