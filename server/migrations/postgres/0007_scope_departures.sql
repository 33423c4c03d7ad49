-- A synced row that moves out of a scope (a visit changed to another
-- citizen, a drawing right given to another team or area) leaves a
-- departure here: whoever could pull it in the old scope and cannot pull it
-- now receives it as deleted, so it does not stay on their phone
-- (db/changes.rs). One row per row and scope it left (`scope_key` names the
-- four scope columns), stamped in the stamp space of sync_changes: a moving
-- transaction's departures take its first seqs, its changes the rest.
CREATE TABLE sync_departures (
    entity     TEXT NOT NULL CHECK (entity IN ('citizen', 'assignment', 'grant', 'drawing_right', 'visit', 'timer')),
    row_id     TEXT NOT NULL,
    scope_key  TEXT NOT NULL,
    tx         BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    citizen_id TEXT,
    user_id    TEXT,
    team_id    TEXT,
    area_id    TEXT,
    PRIMARY KEY (entity, row_id, scope_key)
);
CREATE INDEX sync_departures_by_stamp ON sync_departures (tx, seq);
