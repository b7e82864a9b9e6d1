-- Preference centre: permissions per channel × topic, frequency caps, quiet hours, pause, privacy notices,
-- marketing contact points (double opt-in), append-only proof of consent, deletion requests.
--
-- A customer without a `preferences` row has the defaults (service messages only, Europe/Amsterdam):
-- databases seeded before this migration need no backfill, and the first save writes the row.

CREATE TABLE preferences (
    customer_id         INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    -- Quiet hours `HH:MM`, both or neither.
    quiet_start         TEXT,
    quiet_end           TEXT,
    -- JSON array of weekdays (`["mon","fri"]`) in week order; empty = any day.
    preferred_days      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(preferred_days)),
    time_zone           TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
    -- `YYYY-MM-DD`, inclusive.
    paused_until        TEXT,
    no_sale_or_sharing  INTEGER NOT NULL DEFAULT 0 CHECK (no_sale_or_sharing IN (0, 1)),
    -- Incremented on every save; part of the ETag and the guard against lost updates.
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

-- One row per channel × topic cell; a missing cell has its default (only service messages allowed).
CREATE TABLE permissions (
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post', 'push')),
    topic        TEXT NOT NULL
                 CHECK (topic IN ('service', 'newsletter', 'offers', 'partner_offers', 'surveys')),
    allowed      INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    -- Service messages about the customer's own orders are not marketing and cannot be switched off.
    CHECK (topic <> 'service' OR allowed = 1),
    PRIMARY KEY (customer_id, channel, topic)
) WITHOUT ROWID;

CREATE TABLE frequency_caps (
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    topic        TEXT NOT NULL CHECK (topic IN ('newsletter', 'offers', 'partner_offers', 'surveys')),
    max          INTEGER NOT NULL CHECK (max BETWEEN 1 AND 50),
    per          TEXT NOT NULL CHECK (per IN ('week', 'month')),
    PRIMARY KEY (customer_id, topic)
) WITHOUT ROWID;

-- The privacy notices the preference page shows. A consent record names the version and the SHA-256 of
-- the exact text, so a published text must never change: new wording is a new version.
CREATE TABLE notices (
    version       TEXT NOT NULL,
    lang          TEXT NOT NULL,
    text          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    PRIMARY KEY (version, lang)
);
CREATE INDEX notices_sha256 ON notices(version, sha256);
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN
    SELECT RAISE(ABORT, 'published notices are immutable');
END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN
    SELECT RAISE(ABORT, 'published notices are immutable');
END;

-- Marketing addresses. `pending` until the link sent to the address is opened (double opt-in); a pending
-- address must not be used for marketing. Only a SHA-256 of the confirmation token is stored, and it is
-- removed when used.
CREATE TABLE contact_points (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    channel           TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone')),
    address           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
    token_hash        TEXT UNIQUE,
    token_expires_at  TEXT,
    created_at        TEXT NOT NULL,
    confirmed_at      TEXT,
    UNIQUE (customer_id, channel, address COLLATE NOCASE)
);

-- Proof of consent (GDPR Art. 7(1)): one row per change, never updated or deleted. `canonical` is the
-- exact text that was hashed into `sha256`; `changes` is the JSON array of {field, old, new}.
-- No ON DELETE action: proof of consent outlives the account, so deleting a customer who has records is
-- refused by the database (erasure must keep or separately archive these records).
CREATE TABLE consent_records (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    at              TEXT NOT NULL,
    notice_version  TEXT NOT NULL,
    notice_sha256   TEXT NOT NULL,
    control         TEXT NOT NULL,
    page            TEXT NOT NULL,
    gpc             INTEGER NOT NULL CHECK (gpc IN (0, 1)),
    source          TEXT NOT NULL CHECK (source IN ('customer', 'gpc')),
    changes         TEXT NOT NULL CHECK (json_valid(changes)),
    canonical       TEXT NOT NULL,
    sha256          TEXT NOT NULL
);
CREATE INDEX consent_records_customer ON consent_records(customer_id, id DESC);

-- Append-only, enforced by the database itself and not only by the absence of code paths.
CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
BEGIN
    SELECT RAISE(ABORT, 'consent records are append-only');
END;
CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
BEGIN
    SELECT RAISE(ABORT, 'consent records are append-only');
END;
-- `INSERT OR REPLACE` deletes the old row without firing delete triggers (recursive triggers are off):
-- refuse any insert that would collide with an existing record.
CREATE TRIGGER consent_records_no_replace BEFORE INSERT ON consent_records
WHEN EXISTS (SELECT 1 FROM consent_records WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'consent records are append-only');
END;

-- Erasure requests and where they stand. At most one open request per customer.
CREATE TABLE deletion_requests (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('received', 'confirmed', 'completed')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests(customer_id) WHERE status <> 'completed';
