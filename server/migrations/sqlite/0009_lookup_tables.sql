-- Enum values are rows, not CHECK lists (issue 13). Each domain enum has a
-- lookup table `<enum>_codes` holding its wire codes, and every column of
-- that enum refers to it by foreign key. A new value (a visit kind, a synced
-- entity, an access purpose) is then one INSERT on both backends, where a
-- CHECK list would need the largest tables (visits, sync_changes,
-- access_log) rebuilt. The server's tests check each table against the Rust
-- enum's `ALL`.
--
-- This migration is the one rebuild that gets there: SQLite cannot change a
-- table's constraints in place, so each table is made anew with the same
-- columns, copied and renamed (the procedure of SQLite's ALTER TABLE page).
-- `db::migrate` runs SQLite migrations with foreign keys off (required to
-- drop a table others refer to) and this script checks them itself before
-- it commits: any row left without its parent aborts the whole migration.
-- Two-valued internal states (sync_mutations.status, period_lock_events.action,
-- 0/1 flags) keep their CHECK: they are not domain enums.

CREATE TABLE area_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO area_kind_codes (code) VALUES ('employment'), ('social'), ('children_youth');
CREATE TABLE role_codes (code TEXT PRIMARY KEY);
INSERT INTO role_codes (code) VALUES ('worker'), ('mentor'), ('coordinator'), ('lead'), ('admin');
CREATE TABLE target_group_codes (code TEXT PRIMARY KEY);
INSERT INTO target_group_codes (code) VALUES ('complex'), ('very_complex'), ('limited_work_capacity'), ('youth');
CREATE TABLE benefit_type_codes (code TEXT PRIMARY KEY);
INSERT INTO benefit_type_codes (code) VALUES ('early_retirement_pension'), ('cash_benefit'), ('education_benefit'),
    ('resource_course_benefit'), ('sickness_benefit'), ('flex_job_benefit'), ('other');
CREATE TABLE service_codes (code TEXT PRIMARY KEY);
INSERT INTO service_codes (code) VALUES ('housing_support'), ('mentor'), ('contact_person');
CREATE TABLE allowance_unit_codes (code TEXT PRIMARY KEY);
INSERT INTO allowance_unit_codes (code) VALUES ('week'), ('month');
CREATE TABLE period_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO period_kind_codes (code) VALUES ('week'), ('month'), ('quarter'), ('year');
CREATE TABLE rollover_codes (code TEXT PRIMARY KEY);
INSERT INTO rollover_codes (code) VALUES ('expire'), ('roll_over'), ('carry_overruns');
CREATE TABLE visit_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO visit_kind_codes (code) VALUES ('home_visit'), ('phone_video'), ('escort'), ('meeting'), ('no_show');
CREATE TABLE visit_status_codes (code TEXT PRIMARY KEY);
INSERT INTO visit_status_codes (code) VALUES ('draft'), ('submitted'), ('approved');
CREATE TABLE entity_codes (code TEXT PRIMARY KEY);
INSERT INTO entity_codes (code) VALUES ('citizen'), ('assignment'), ('grant'), ('drawing_right'), ('visit'), ('timer');
CREATE TABLE access_action_codes (code TEXT PRIMARY KEY);
INSERT INTO access_action_codes (code) VALUES ('read'), ('search'), ('create'), ('change'), ('export'), ('delete');
CREATE TABLE access_purpose_codes (code TEXT PRIMARY KEY);
INSERT INTO access_purpose_codes (code) VALUES ('field_work'), ('citizen_list'), ('oversight'), ('grant_decision'),
    ('billing'), ('administration'), ('access_report'), ('data_exchange');
CREATE TABLE conflict_keep_codes (code TEXT PRIMARY KEY);
INSERT INTO conflict_keep_codes (code) VALUES ('standing'), ('other');

CREATE TABLE areas_new (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL REFERENCES area_kind_codes (code)
);
INSERT INTO areas_new (id, name, kind) SELECT id, name, kind FROM areas;
DROP TABLE areas;
ALTER TABLE areas_new RENAME TO areas;

CREATE TABLE user_roles_new (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL REFERENCES role_codes (code),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

CREATE TABLE citizens_new (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    birth_year     INTEGER NOT NULL,
    target_group   TEXT NOT NULL REFERENCES target_group_codes (code),
    benefit_type   TEXT NOT NULL REFERENCES benefit_type_codes (code),
    coordinator_id TEXT REFERENCES users (id),
    external_id    TEXT
);
INSERT INTO citizens_new (id, name, birth_year, target_group, benefit_type, coordinator_id, external_id)
    SELECT id, name, birth_year, target_group, benefit_type, coordinator_id, external_id FROM citizens;
DROP TABLE citizens;
ALTER TABLE citizens_new RENAME TO citizens;
CREATE UNIQUE INDEX citizens_by_external_id ON citizens (external_id);

CREATE TABLE grants_new (
    id            TEXT PRIMARY KEY,
    citizen_id    TEXT NOT NULL REFERENCES citizens (id),
    service       TEXT NOT NULL REFERENCES service_codes (code),
    legal_basis   TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0),
    per           TEXT NOT NULL REFERENCES allowance_unit_codes (code),
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    payer_area_id TEXT NOT NULL REFERENCES areas (id),
    external_id   TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
INSERT INTO grants_new (id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id,
                        external_id)
    SELECT id, citizen_id, service, legal_basis, minutes, per, valid_from, valid_to, payer_area_id, external_id
    FROM grants;
DROP TABLE grants;
ALTER TABLE grants_new RENAME TO grants;
CREATE INDEX grants_by_citizen ON grants (citizen_id);
CREATE UNIQUE INDEX grants_by_external_id ON grants (external_id);

CREATE TABLE drawing_rights_new (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    owner_area_id      TEXT NOT NULL REFERENCES areas (id),
    provider_team_id   TEXT NOT NULL REFERENCES teams (id),
    minutes_per_period INTEGER NOT NULL CHECK (minutes_per_period > 0),
    period_kind        TEXT NOT NULL REFERENCES period_kind_codes (code),
    rollover           TEXT NOT NULL REFERENCES rollover_codes (code),
    valid_from         TEXT NOT NULL,
    valid_to           TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
INSERT INTO drawing_rights_new (id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind,
                                rollover, valid_from, valid_to)
    SELECT id, name, owner_area_id, provider_team_id, minutes_per_period, period_kind, rollover, valid_from,
           valid_to
    FROM drawing_rights;
DROP TABLE drawing_rights;
ALTER TABLE drawing_rights_new RENAME TO drawing_rights;

CREATE TABLE visits_new (
    id                TEXT PRIMARY KEY,
    citizen_id        TEXT NOT NULL REFERENCES citizens (id),
    worker_id         TEXT NOT NULL REFERENCES users (id),
    kind              TEXT NOT NULL REFERENCES visit_kind_codes (code),
    started_at        INTEGER NOT NULL,
    ended_at          INTEGER NOT NULL CHECK (ended_at >= started_at),
    travel_minutes    INTEGER NOT NULL CHECK (travel_minutes >= 0),
    note              TEXT NOT NULL DEFAULT '',
    charged_grant_id  TEXT REFERENCES grants (id),
    charged_pool_id   TEXT REFERENCES drawing_rights (id),
    status            TEXT NOT NULL REFERENCES visit_status_codes (code),
    row_version       INTEGER NOT NULL DEFAULT 1,
    corrected_minutes INTEGER CHECK (corrected_minutes IS NULL OR corrected_minutes BETWEEN 0 AND 960),
    correction_reason TEXT,
    corrected_by      TEXT REFERENCES users (id),
    CHECK (charged_grant_id IS NULL OR charged_pool_id IS NULL)
);
INSERT INTO visits_new (id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note,
                        charged_grant_id, charged_pool_id, status, row_version, corrected_minutes,
                        correction_reason, corrected_by)
    SELECT id, citizen_id, worker_id, kind, started_at, ended_at, travel_minutes, note, charged_grant_id,
           charged_pool_id, status, row_version, corrected_minutes, correction_reason, corrected_by
    FROM visits;
DROP TABLE visits;
ALTER TABLE visits_new RENAME TO visits;
CREATE INDEX visits_by_citizen ON visits (citizen_id, started_at);
CREATE INDEX visits_by_worker ON visits (worker_id, started_at);
CREATE INDEX visits_by_grant ON visits (charged_grant_id, started_at);
CREATE INDEX visits_by_pool ON visits (charged_pool_id, started_at);

CREATE TABLE sync_changes_new (
    entity     TEXT NOT NULL REFERENCES entity_codes (code),
    row_id     TEXT NOT NULL,
    tx         INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    citizen_id TEXT,
    user_id    TEXT,
    team_id    TEXT,
    area_id    TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (entity, row_id)
);
INSERT INTO sync_changes_new (entity, row_id, tx, seq, citizen_id, user_id, team_id, area_id, deleted)
    SELECT entity, row_id, tx, seq, citizen_id, user_id, team_id, area_id, deleted FROM sync_changes;
DROP TABLE sync_changes;
ALTER TABLE sync_changes_new RENAME TO sync_changes;
CREATE INDEX sync_changes_by_stamp ON sync_changes (tx, seq);
CREATE INDEX sync_changes_by_citizen ON sync_changes (citizen_id, tx, seq);

CREATE TABLE sync_departures_new (
    entity     TEXT NOT NULL REFERENCES entity_codes (code),
    row_id     TEXT NOT NULL,
    scope_key  TEXT NOT NULL,
    tx         INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    citizen_id TEXT,
    user_id    TEXT,
    team_id    TEXT,
    area_id    TEXT,
    PRIMARY KEY (entity, row_id, scope_key)
);
INSERT INTO sync_departures_new (entity, row_id, scope_key, tx, seq, citizen_id, user_id, team_id, area_id)
    SELECT entity, row_id, scope_key, tx, seq, citizen_id, user_id, team_id, area_id FROM sync_departures;
DROP TABLE sync_departures;
ALTER TABLE sync_departures_new RENAME TO sync_departures;
CREATE INDEX sync_departures_by_stamp ON sync_departures (tx, seq);

CREATE TABLE access_log_new (
    id         TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    TEXT NOT NULL,
    citizen_id TEXT,
    action     TEXT NOT NULL REFERENCES access_action_codes (code),
    purpose    TEXT NOT NULL REFERENCES access_purpose_codes (code),
    detail     TEXT
);
INSERT INTO access_log_new (id, at, user_id, citizen_id, action, purpose, detail)
    SELECT id, at, user_id, citizen_id, action, purpose, detail FROM access_log;
DROP TABLE access_log;
ALTER TABLE access_log_new RENAME TO access_log;
CREATE INDEX access_log_by_citizen ON access_log (citizen_id, at);
CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_time ON access_log (at);

CREATE TABLE visit_conflicts_new (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL,
    worker_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    mutation_id INTEGER NOT NULL,
    fields      TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    mine        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    settled_at  INTEGER,
    settled_by  TEXT,
    kept        TEXT REFERENCES conflict_keep_codes (code)
);
INSERT INTO visit_conflicts_new (id, visit_id, worker_id, client_id, mutation_id, fields, theirs, mine, created_at,
                                 settled_at, settled_by, kept)
    SELECT id, visit_id, worker_id, client_id, mutation_id, fields, theirs, mine, created_at, settled_at,
           settled_by, kept
    FROM visit_conflicts;
DROP TABLE visit_conflicts;
ALTER TABLE visit_conflicts_new RENAME TO visit_conflicts;
CREATE INDEX visit_conflicts_by_visit ON visit_conflicts (visit_id);
CREATE INDEX visit_conflicts_by_client ON visit_conflicts (client_id, mutation_id);

-- Every reference holds, or nothing of this migration is kept: a failed
-- CHECK aborts the migration's transaction.
CREATE TEMP TABLE foreign_key_violations (n INTEGER NOT NULL CHECK (n = 0));
INSERT INTO foreign_key_violations (n) SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_key_violations;
