-- Issue 15: intensive courses (seed 002's citizen-consultant model). A
-- consultant team (`teams.consultant_team`) runs courses of up to a year
-- for one citizen each; its consultants decide and deliver, and carry ten
-- citizens per half post (`users.course_post`, hundredths of a full-time
-- post; none: half time). A course names its consultants, the plan's
-- goals it serves and, when it ends, its outcome; half-yearly statuses are
-- never changed. A grant may name the offer of the catalogue it is.
ALTER TABLE teams ADD COLUMN consultant_team INTEGER NOT NULL DEFAULT 0 CHECK (consultant_team IN (0, 1));
ALTER TABLE users ADD COLUMN course_post INTEGER CHECK (course_post BETWEEN 0 AND 100);
ALTER TABLE grants ADD COLUMN offer_id TEXT REFERENCES offers (id);
CREATE TABLE outcome_codes (code TEXT PRIMARY KEY);
INSERT INTO outcome_codes (code) VALUES ('in_work'), ('in_education'), ('self_supporting'), ('dropped_out'), ('moved'), ('paused');
CREATE TABLE courses (
    id             TEXT PRIMARY KEY,
    citizen_id     TEXT NOT NULL REFERENCES citizens (id),
    team_id        TEXT NOT NULL REFERENCES teams (id),
    offer_id       TEXT REFERENCES offers (id),
    started_on     TEXT NOT NULL,
    planned_end_on TEXT NOT NULL,
    ended_on       TEXT,
    outcome        TEXT REFERENCES outcome_codes (code),
    end_note       TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id),
    CHECK ((ended_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX courses_by_citizen ON courses (citizen_id, started_on);
CREATE INDEX courses_by_team ON courses (team_id, started_on);
CREATE TABLE course_consultants (
    course_id TEXT NOT NULL REFERENCES courses (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_consultants_by_user ON course_consultants (user_id);
CREATE TABLE course_goals (
    course_id TEXT NOT NULL REFERENCES courses (id),
    goal_id   TEXT NOT NULL REFERENCES goals (id),
    PRIMARY KEY (course_id, goal_id)
);
CREATE TABLE course_statuses (
    id          TEXT PRIMARY KEY,
    course_id   TEXT NOT NULL REFERENCES courses (id),
    status_on   TEXT NOT NULL,
    note        TEXT NOT NULL,
    by_user     TEXT NOT NULL REFERENCES users (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX course_statuses_by_course ON course_statuses (course_id, status_on);
