-- Handing a worker's citizens over to others (issue 14, seed 000:
-- "overdragelse af borgere"): the assignment a handover makes says from
-- whom and carries the note that reaches the new worker's phone. And two
-- indexes for the figures: visits by start (by month across all workers),
-- and classifications covering the layer (a citizen's layer on a date is
-- read from the index alone).

ALTER TABLE assignments ADD COLUMN handover_from TEXT REFERENCES users (id);
ALTER TABLE assignments ADD COLUMN handover_note TEXT;

CREATE INDEX visits_by_start ON visits (started_at);
CREATE INDEX classifications_as_of ON classifications (citizen_id, valid_from, layer);
