-- Handing a worker's citizens over to others (issue 14, seed 000:
-- "overdragelse af borgere"): the assignment a handover makes says from
-- whom and carries the note that reaches the new worker's phone. And an
-- index for the figures, which read visits by month across all workers.

ALTER TABLE assignments ADD COLUMN handover_from TEXT REFERENCES users (id);
ALTER TABLE assignments ADD COLUMN handover_note TEXT;

CREATE INDEX visits_by_start ON visits (started_at);
