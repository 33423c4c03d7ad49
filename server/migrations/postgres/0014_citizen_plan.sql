-- The citizen's plan (issue 15): one per citizen, written with the citizen
-- and shared by everyone who works with them (seed 002; LAB § 30 b; goals
-- and follow-ups in VUM 2.0's words). Four synced entities (`plan`,
-- `goal`, `action`, `follow_up`), each row with its citizen so the change
-- stream scopes it as it scopes visits. A plan's key is its citizen: two
-- phones that begin it offline write the same row. Goals are ended, never
-- deleted; actions are cancelled; follow-ups never change.

INSERT INTO entity_codes (code) VALUES ('plan'), ('goal'), ('action'), ('follow_up');

CREATE TABLE consent_codes (code TEXT PRIMARY KEY);
INSERT INTO consent_codes (code) VALUES ('not_asked'), ('given'), ('refused');
CREATE TABLE goal_status_codes (code TEXT PRIMARY KEY);
INSERT INTO goal_status_codes (code) VALUES ('active'), ('achieved'), ('ended');
CREATE TABLE action_status_codes (code TEXT PRIMARY KEY);
INSERT INTO action_status_codes (code) VALUES ('open'), ('done'), ('cancelled');
CREATE TABLE conclusion_codes (code TEXT PRIMARY KEY);
INSERT INTO conclusion_codes (code) VALUES ('continue'), ('change'), ('end'), ('reassess');

CREATE TABLE plans (
    citizen_id          TEXT PRIMARY KEY REFERENCES citizens (id),
    consent             TEXT NOT NULL REFERENCES consent_codes (code),
    consent_on          TEXT,
    coordinator_id      TEXT REFERENCES users (id),
    coordinator_contact TEXT NOT NULL,
    wishes              TEXT NOT NULL,
    created_on          TEXT NOT NULL,
    row_version         BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    updated_by          TEXT NOT NULL REFERENCES users (id),
    CHECK ((consent = 'not_asked') = (consent_on IS NULL))
);

-- `areas`: a JSON array of area ids; `efforts`: a JSON array of
-- `{"type": "grant"|"course"|"offer", "id": uuid}` (shared::plan::Effort).
CREATE TABLE goals (
    id                   TEXT PRIMARY KEY,
    citizen_id           TEXT NOT NULL REFERENCES plans (citizen_id),
    citizen_wording      TEXT NOT NULL,
    professional_wording TEXT NOT NULL,
    areas                TEXT NOT NULL,
    efforts              TEXT NOT NULL,
    target_date          TEXT,
    status               TEXT NOT NULL REFERENCES goal_status_codes (code),
    position             BIGINT NOT NULL,
    created_on           TEXT NOT NULL,
    row_version          BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    updated_by           TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX goals_by_citizen ON goals (citizen_id, position);

-- `owner_kind` is the tag of shared::plan::Owner (who does it); `owner_id`
-- the user, team or area (NULL for the citizen).
CREATE TABLE plan_actions (
    id          TEXT PRIMARY KEY,
    goal_id     TEXT NOT NULL REFERENCES goals (id),
    citizen_id  TEXT NOT NULL REFERENCES plans (citizen_id),
    what        TEXT NOT NULL,
    owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('user', 'team', 'area', 'citizen')),
    owner_id    TEXT,
    due         TEXT,
    status      TEXT NOT NULL REFERENCES action_status_codes (code),
    row_version BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES users (id),
    CHECK ((owner_kind = 'citizen') = (owner_id IS NULL))
);
CREATE INDEX plan_actions_by_goal ON plan_actions (goal_id);
CREATE INDEX plan_actions_by_citizen ON plan_actions (citizen_id);

CREATE TABLE follow_ups (
    id            TEXT PRIMARY KEY,
    goal_id       TEXT NOT NULL REFERENCES goals (id),
    citizen_id    TEXT NOT NULL REFERENCES plans (citizen_id),
    on_date       TEXT NOT NULL,
    citizen_score BIGINT CHECK (citizen_score BETWEEN 0 AND 10),
    functioning   BIGINT CHECK (functioning BETWEEN 0 AND 4),
    note          TEXT NOT NULL,
    conclusion    TEXT NOT NULL REFERENCES conclusion_codes (code),
    by_user       TEXT NOT NULL REFERENCES users (id),
    recorded_at   BIGINT NOT NULL
);
CREATE INDEX follow_ups_by_goal ON follow_ups (goal_id, on_date);
CREATE INDEX follow_ups_by_citizen ON follow_ups (citizen_id);

-- Two people changed the same field of a plan, goal or action: the
-- server's value stands and the other is kept here for the coordinator
-- to settle (as `visit_conflicts` for a visit's lead). `fields`: a JSON
-- array of field names; `theirs`/`mine`: the row's fields as JSON.
CREATE TABLE plan_conflicts (
    id          TEXT PRIMARY KEY,
    entity      TEXT NOT NULL REFERENCES entity_codes (code),
    row_id      TEXT NOT NULL,
    citizen_id  TEXT NOT NULL REFERENCES citizens (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    client_id   TEXT NOT NULL,
    mutation_id BIGINT NOT NULL,
    fields      TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    mine        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    settled_at  BIGINT,
    settled_by  TEXT REFERENCES users (id),
    kept        TEXT REFERENCES conflict_keep_codes (code)
);
CREATE INDEX plan_conflicts_by_citizen ON plan_conflicts (citizen_id);
CREATE INDEX plan_conflicts_by_client ON plan_conflicts (client_id, mutation_id);
