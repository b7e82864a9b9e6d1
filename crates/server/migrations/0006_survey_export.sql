-- The order in which survey responses are exported to analysts (`GET /staff/survey-responses`): a
-- number that only grows, so that paging by "rows after n" neither skips nor repeats a row while new
-- answers arrive. The text id is random and `received_at` has whole seconds, so neither can serve.
ALTER TABLE survey_responses ADD COLUMN seq INTEGER;

-- Rows stored before this migration, in the order they arrived.
UPDATE survey_responses SET seq = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY received_at, id) AS n FROM survey_responses) AS numbered
WHERE survey_responses.id = numbered.id;

CREATE UNIQUE INDEX survey_responses_seq ON survey_responses(seq);
CREATE INDEX survey_responses_instrument_seq ON survey_responses(instrument_id, seq);

-- Each new row gets the next number, so the INSERTs in the code need not know about it. SQLite has no
-- sequence for a column that is not the key; a database with identity columns declares `seq` as one
-- instead of this trigger. Responses are never deleted (a deleted customer's answers lose only the
-- link), so a number is never handed out twice.
CREATE TRIGGER survey_responses_number AFTER INSERT ON survey_responses
WHEN NEW.seq IS NULL
BEGIN
    UPDATE survey_responses SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM survey_responses)
    WHERE id = NEW.id;
END;
