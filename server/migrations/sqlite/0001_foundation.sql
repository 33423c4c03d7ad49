-- Foundation schema: organisation, users and sessions, citizens, grants,
-- drawing rights and visits.
--
-- Conventions (kept so the same schema can move to PostgreSQL):
-- * ids are UUIDs stored as hyphenated lower-case TEXT;
-- * instants are INTEGER milliseconds since the Unix epoch, UTC;
-- * calendar dates are TEXT 'YYYY-MM-DD' (they sort correctly as text);
-- * durations are INTEGER minutes, never floats;
-- * enums are TEXT with a CHECK listing the snake_case wire names.
-- Never edit a migration once it has shipped; add a new one.

CREATE TABLE areas (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('employment', 'social', 'children_youth'))
);

CREATE TABLE teams (
    id      TEXT PRIMARY KEY,
    area_id TEXT NOT NULL REFERENCES areas (id),
    name    TEXT NOT NULL,
    UNIQUE (area_id, name)
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    -- argon2id PHC string; never leaves the server.
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('worker', 'mentor', 'coordinator', 'lead', 'admin')),
    PRIMARY KEY (user_id, role)
);

-- A lead leads the teams they are a member of.
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_by_user ON team_members (user_id);

-- Sessions live in the database, not in server memory, so they survive a
-- restart and work across several server instances. Only a SHA-256 of the
-- cookie's token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed logins per username, for throttling across instances. Rows older
-- than the throttling window are deleted as new failures come in.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX login_failures_by_username ON login_failures (username, at);

CREATE TABLE citizens (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    birth_year     INTEGER NOT NULL,
    target_group   TEXT NOT NULL CHECK (target_group IN ('complex', 'very_complex', 'limited_work_capacity', 'youth')),
    benefit_type   TEXT NOT NULL CHECK (benefit_type IN ('early_retirement_pension', 'cash_benefit', 'education_benefit',
                                                         'resource_course_benefit', 'sickness_benefit', 'flex_job_benefit', 'other')),
    coordinator_id TEXT REFERENCES users (id)
);

-- Who may see and log for a citizen, and when: the sync scope.
CREATE TABLE assignments (
    id         TEXT PRIMARY KEY,
    citizen_id TEXT NOT NULL REFERENCES citizens (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX assignments_by_user ON assignments (user_id, citizen_id);
CREATE INDEX assignments_by_citizen ON assignments (citizen_id);

CREATE TABLE grants (
    id            TEXT PRIMARY KEY,
    citizen_id    TEXT NOT NULL REFERENCES citizens (id),
    service       TEXT NOT NULL CHECK (service IN ('housing_support', 'mentor', 'contact_person')),
    legal_basis   TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0),
    per           TEXT NOT NULL CHECK (per IN ('week', 'month')),
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    payer_area_id TEXT NOT NULL REFERENCES areas (id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX grants_by_citizen ON grants (citizen_id);

-- Trækningsret: a pool owned by one area, delivered by another area's team.
CREATE TABLE drawing_rights (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    owner_area_id      TEXT NOT NULL REFERENCES areas (id),
    provider_team_id   TEXT NOT NULL REFERENCES teams (id),
    minutes_per_period INTEGER NOT NULL CHECK (minutes_per_period > 0),
    period_kind        TEXT NOT NULL CHECK (period_kind IN ('week', 'month', 'quarter', 'year')),
    rollover           TEXT NOT NULL CHECK (rollover IN ('expire', 'roll_over', 'carry_overruns')),
    valid_from         TEXT NOT NULL,
    valid_to           TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- Visits keep the id the phone gave them.
CREATE TABLE visits (
    id                TEXT PRIMARY KEY,
    citizen_id        TEXT NOT NULL REFERENCES citizens (id),
    worker_id         TEXT NOT NULL REFERENCES users (id),
    kind              TEXT NOT NULL CHECK (kind IN ('home_visit', 'phone_video', 'escort', 'meeting', 'no_show')),
    started_at        INTEGER NOT NULL,
    ended_at          INTEGER NOT NULL CHECK (ended_at >= started_at),
    travel_minutes    INTEGER NOT NULL CHECK (travel_minutes >= 0),
    note              TEXT NOT NULL DEFAULT '',
    charged_grant_id  TEXT REFERENCES grants (id),
    charged_pool_id   TEXT REFERENCES drawing_rights (id),
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved')),
    row_version       INTEGER NOT NULL DEFAULT 1,
    CHECK (charged_grant_id IS NULL OR charged_pool_id IS NULL)
);
CREATE INDEX visits_by_citizen ON visits (citizen_id, started_at);
CREATE INDEX visits_by_worker ON visits (worker_id, started_at);
