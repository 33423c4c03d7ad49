-- The monthly sparring forum (issue 16, seed 000): sessions on set days;
-- cases put on a coming session's agenda (the citizen and the question);
-- each case's minutes: the outcome and, when something is to be done, who
-- follows up and by when.
CREATE TABLE forum_sessions (
    id         TEXT PRIMARY KEY,
    on_date    TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE TABLE forum_cases (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL REFERENCES forum_sessions (id),
    citizen_id      TEXT NOT NULL REFERENCES citizens (id),
    question        TEXT NOT NULL,
    added_by        TEXT NOT NULL REFERENCES users (id),
    added_at        BIGINT NOT NULL,
    outcome         TEXT,
    follow_up_owner TEXT REFERENCES users (id),
    follow_up_due   TEXT,
    outcome_by      TEXT REFERENCES users (id),
    outcome_at      BIGINT,
    CHECK ((outcome IS NULL) = (outcome_at IS NULL)),
    CHECK ((follow_up_owner IS NULL) = (follow_up_due IS NULL))
);
CREATE INDEX forum_cases_by_session ON forum_cases (session_id, added_at);
CREATE INDEX forum_cases_by_citizen ON forum_cases (citizen_id);
