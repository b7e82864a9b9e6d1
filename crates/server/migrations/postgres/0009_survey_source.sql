-- PostgreSQL twin of ../0007_survey_source.sql (the same statements).
-- Where each survey answer came from, so that junk from an anonymous flood can be told from real
-- answers: `widget` (anonymous, possibly on a firm's site), `customer` (signed in), `invitation`
-- (answering an invitation of the signed-in customer). Rows stored before: guessed from their links.
ALTER TABLE survey_responses ADD COLUMN source TEXT
    CHECK (source IS NULL OR source IN ('widget', 'customer', 'invitation'));
UPDATE survey_responses SET source = CASE
    WHEN EXISTS (SELECT 1 FROM survey_invitations i WHERE i.response_id = survey_responses.id)
        THEN 'invitation'
    WHEN customer_id IS NOT NULL THEN 'customer'
    ELSE 'widget'
END;
