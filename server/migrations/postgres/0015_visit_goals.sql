-- The plan's goals a visit worked on (issue 15): a JSON array of
-- `{"goal_id": uuid, "note": "…", "citizen_score": 0–10}` (shared::visit::
-- GoalLink), the worker's field of the visit, synced and merged with it.
ALTER TABLE visits ADD COLUMN goals TEXT NOT NULL DEFAULT '[]';
