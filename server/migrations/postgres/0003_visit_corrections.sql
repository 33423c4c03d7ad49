-- A lead's correction of the minutes a visit counts for (DESIGN.md §3:
-- the lead owns these fields, the worker the rest). All three are set
-- together or not at all (the server writes them from one value).
ALTER TABLE visits ADD COLUMN corrected_minutes BIGINT CHECK (corrected_minutes IS NULL OR corrected_minutes BETWEEN 0 AND 960);
ALTER TABLE visits ADD COLUMN correction_reason TEXT;
ALTER TABLE visits ADD COLUMN corrected_by TEXT REFERENCES users (id);
