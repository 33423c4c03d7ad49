-- Cross-disciplinary meetings (issue 16; seed 002: three a year per
-- citizen, an organiser who calls them and writes the minutes). A meeting
-- is a synced row of its citizen, changed like a goal (merged field by
-- field; a clash goes to `plan_conflicts`); its minutes are entries never
-- changed once written, one agenda item each. A decision of a meeting is
-- an agreed action of the plan that names it (`plan_actions.meeting_id`).
INSERT INTO entity_codes (code) VALUES ('meeting'), ('minutes');
CREATE TABLE meeting_status_codes (code TEXT PRIMARY KEY);
INSERT INTO meeting_status_codes (code) VALUES ('planned'), ('held'), ('cancelled');
CREATE TABLE meetings (
    id                TEXT PRIMARY KEY,
    citizen_id        TEXT NOT NULL REFERENCES citizens (id),
    on_date           TEXT NOT NULL,
    organiser_id      TEXT NOT NULL REFERENCES users (id),
    participants      TEXT NOT NULL,
    others            TEXT NOT NULL,
    citizen_invited   INTEGER NOT NULL CHECK (citizen_invited IN (0, 1)),
    status            TEXT NOT NULL REFERENCES meeting_status_codes (code),
    citizen_took_part INTEGER NOT NULL CHECK (citizen_took_part IN (0, 1)),
    present           TEXT NOT NULL,
    next_on           TEXT,
    row_version       INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    updated_by        TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX meetings_by_citizen ON meetings (citizen_id, on_date);
CREATE TABLE meeting_minutes (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings (id),
    citizen_id  TEXT NOT NULL REFERENCES citizens (id),
    item        TEXT NOT NULL,
    goal_id     TEXT REFERENCES goals (id),
    text        TEXT NOT NULL,
    by_user     TEXT NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX meeting_minutes_by_meeting ON meeting_minutes (meeting_id, recorded_at);
ALTER TABLE plan_actions ADD COLUMN meeting_id TEXT REFERENCES meetings (id);
