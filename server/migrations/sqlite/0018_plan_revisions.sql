-- Issue 15: every revision of a citizen's plan is kept, with its date, who
-- took part and whether the citizen was present and agreed. A revision
-- keeps the plan as it stood (the wishes and the goals with their actions,
-- as JSON: `shared::plan::RevisedGoal`) and is never changed once made.
INSERT INTO entity_codes (code) VALUES ('plan_revision');
CREATE TABLE plan_revisions (
    id              TEXT PRIMARY KEY,
    citizen_id      TEXT NOT NULL REFERENCES plans (citizen_id),
    on_date         TEXT NOT NULL,
    participants    TEXT NOT NULL,
    others          TEXT NOT NULL,
    citizen_present INTEGER NOT NULL CHECK (citizen_present IN (0, 1)),
    citizen_agreed  INTEGER NOT NULL CHECK (citizen_agreed IN (0, 1)),
    note            TEXT NOT NULL,
    wishes          TEXT NOT NULL,
    goals           TEXT NOT NULL,
    by_user         TEXT NOT NULL REFERENCES users (id),
    recorded_at     INTEGER NOT NULL
);
CREATE INDEX plan_revisions_by_citizen ON plan_revisions (citizen_id, on_date);
