-- Issue 15: the municipality's catalogue of offers (seed 001: make "the
-- many offers across the areas" visible), kept by an administrator; a
-- goal's efforts and an agreed action (`plan_actions.offer_id`) name them. An offer is made inactive, never deleted.
CREATE TABLE offers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    area_id     TEXT REFERENCES areas (id),
    legal_basis TEXT NOT NULL,
    contact     TEXT NOT NULL,
    description TEXT NOT NULL,
    active      BIGINT NOT NULL CHECK (active IN (0, 1)),
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX offers_by_area ON offers (area_id, name);
ALTER TABLE plan_actions ADD COLUMN offer_id TEXT REFERENCES offers (id);
