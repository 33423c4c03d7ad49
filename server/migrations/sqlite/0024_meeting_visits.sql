-- A meeting counted as a meeting visit for each staff member present
-- (issue 16: "each staff member who took part gets the meeting's minutes
-- counted once, for them, as a meeting visit charged like any other"). A
-- meeting has its start (ms since the epoch, UTC) and duration (minutes):
-- optional while planned, required once held. The server writes one visit
-- per staff member present that points at the meeting (`meeting_of`) and
-- follows it, so nobody logs the meeting twice.
ALTER TABLE meetings ADD COLUMN starts_at INTEGER;
ALTER TABLE meetings ADD COLUMN duration INTEGER CHECK (duration IS NULL OR duration BETWEEN 1 AND 960);
ALTER TABLE visits ADD COLUMN meeting_of TEXT;
CREATE INDEX visits_by_meeting_of ON visits (meeting_of);
