-- Sync: the change stream phones pull, and the mutations they push.
-- DESIGN.md §3; ARCHITECTURE.md "Sync invariants".

-- One row. `epoch` names this database's history: a restore from backup
-- gets a new one, and every phone starts over. `clock` is bumped once at the
-- end of every transaction that changes a synced row, and its row lock is
-- held until commit, so clock order is commit order (db/changes.rs).
CREATE TABLE sync_meta (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    clock BIGINT NOT NULL
);
INSERT INTO sync_meta (id, epoch, clock) VALUES (1, md5(random()::text || clock_timestamp()::text), 0);

-- The latest change of every synced row, with its commit-ordered stamp
-- (tx, seq) and the scope that decides who may pull it. Deleted rows stay as
-- tombstones (deleted = 1).
CREATE TABLE sync_changes (
    entity     TEXT NOT NULL CHECK (entity IN ('citizen', 'assignment', 'grant', 'drawing_right', 'visit', 'timer')),
    row_id     TEXT NOT NULL,
    tx         BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    citizen_id TEXT,
    user_id    TEXT,
    team_id    TEXT,
    area_id    TEXT,
    deleted    BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (entity, row_id)
);
CREATE INDEX sync_changes_by_stamp ON sync_changes (tx, seq);
CREATE INDEX sync_changes_by_citizen ON sync_changes (citizen_id, tx, seq);

-- (The SQLite history stamps rows that existed before sync here; a
-- PostgreSQL database starts with this schema, so it has none.)

-- One row per phone database. `last_mutation_id` is advanced in the same
-- transaction as the mutation it counts.
CREATE TABLE sync_clients (
    client_id        TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id),
    last_mutation_id BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL
);

-- Every processed mutation with its result, so a replay gets the same
-- answer; a rejected one keeps its payload for the worker and the lead.
CREATE TABLE sync_mutations (
    client_id    TEXT NOT NULL REFERENCES sync_clients (client_id),
    mutation_id  BIGINT NOT NULL,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    code         TEXT,
    message_da   TEXT,
    message_en   TEXT,
    field        TEXT,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
);
CREATE INDEX sync_mutations_rejected ON sync_mutations (status, client_id, mutation_id);

-- Visit timers: the start is a record, so it survives the phone.
CREATE TABLE timers (
    id         TEXT PRIMARY KEY,
    worker_id  TEXT NOT NULL REFERENCES users (id),
    citizen_id TEXT NOT NULL REFERENCES citizens (id),
    started_at BIGINT NOT NULL,
    stopped_at BIGINT CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);
-- One running timer per worker, whatever device started it.
CREATE UNIQUE INDEX timers_one_running ON timers (worker_id) WHERE stopped_at IS NULL;

-- When a phone's edit and someone else's edit changed the same field of a
-- visit, the server's value stands and the phone's is kept here.
CREATE TABLE visit_conflicts (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL,
    worker_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    mutation_id BIGINT NOT NULL,
    fields      TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    mine        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX visit_conflicts_by_visit ON visit_conflicts (visit_id);
