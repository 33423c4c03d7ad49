-- The rehearsal of the next app update (feature `next-schema`; built only
-- by the upgrade test, tests/e2e/upgrade.test.js): a new synced entity,
-- one row per citizen, in the change stream at a new stamp. Never in a
-- release; SQLite only (the browser tests' backend).
INSERT INTO entity_codes (code) VALUES ('rehearsal');

CREATE TABLE rehearsals (
    id         TEXT PRIMARY KEY,
    citizen_id TEXT NOT NULL REFERENCES citizens (id),
    label      TEXT NOT NULL
);
INSERT INTO rehearsals (id, citizen_id, label) SELECT id, id, 'Øvelse: ' || name FROM citizens;

UPDATE sync_meta SET clock = clock + 1;
INSERT INTO sync_changes (entity, row_id, tx, seq, citizen_id)
    SELECT 'rehearsal', id, (SELECT clock FROM sync_meta), rowid, citizen_id FROM rehearsals;
