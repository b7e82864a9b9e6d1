-- PostgreSQL twin of ../0013_erasure.sql (here the constraint can be changed in place).
ALTER TABLE customers ADD COLUMN erased_at TEXT;
ALTER TABLE customers ADD COLUMN pseudonym TEXT;
CREATE UNIQUE INDEX customers_pseudonym ON customers(pseudonym);

ALTER TABLE deletion_requests DROP CONSTRAINT deletion_requests_status_check;
ALTER TABLE deletion_requests ADD CONSTRAINT deletion_requests_status_check
    CHECK (status IN ('received', 'confirmed', 'completed', 'refused'));
ALTER TABLE deletion_requests ADD COLUMN reason TEXT;
ALTER TABLE deletion_requests ADD COLUMN handled_by BIGINT REFERENCES customers(id) ON DELETE SET NULL;
ALTER TABLE deletion_requests ADD CONSTRAINT deletion_requests_reason
    CHECK ((status = 'refused') = (reason IS NOT NULL));
DROP INDEX deletion_requests_open;
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests(customer_id)
    WHERE status IN ('received', 'confirmed');
