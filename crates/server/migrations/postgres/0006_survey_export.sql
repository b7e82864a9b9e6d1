-- PostgreSQL twin of ../0006_survey_export.sql: `seq`, the export order of survey responses, a number
-- that only grows so that paging by "rows after n" neither skips nor repeats a row.
--
-- The `rowid` identity cannot serve: an identity (or any sequence default) hands out its number when
-- the row is inserted, not when it becomes visible, so a reader could see 11 committed while 10 is
-- still in flight, page past 10 and never see it. SQLite lets one writer in at a time, which rules
-- that out there; here the trigger below does the same for numbering: it takes a lock held to the end
-- of the inserting transaction before drawing the number, so numbers become visible in their order.
-- Submissions insert in a single-statement transaction, so the lock is held only for that moment.
ALTER TABLE survey_responses ADD COLUMN seq BIGINT;

-- Rows stored before this migration, in the order they arrived; "C" compares text byte by byte, as
-- SQLite does, whatever the database's collation.
UPDATE survey_responses SET seq = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY received_at COLLATE "C", id COLLATE "C") AS n
      FROM survey_responses) AS numbered
WHERE survey_responses.id = numbered.id;

CREATE SEQUENCE survey_responses_seq_numbers OWNED BY survey_responses.seq;
SELECT setval('survey_responses_seq_numbers', COALESCE(MAX(seq), 0) + 1, false) FROM survey_responses;

CREATE UNIQUE INDEX survey_responses_seq ON survey_responses(seq);
CREATE INDEX survey_responses_instrument_seq ON survey_responses(instrument_id, seq);

-- A sequence rather than MAX(seq) + 1, so that the number is right under any isolation level; a rolled
-- back insert leaves a gap, which paging does not mind. The advisory lock is per table (its oid), so
-- databases or schemas sharing a server do not wait for each other.
CREATE FUNCTION survey_responses_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(TG_RELID::bigint);
    NEW.seq := nextval('survey_responses_seq_numbers');
    RETURN NEW;
END
$$;

CREATE TRIGGER survey_responses_number BEFORE INSERT ON survey_responses
FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION survey_responses_number();

ALTER TABLE survey_responses ALTER COLUMN seq SET NOT NULL;
