-- Issue 12, kind 15: conflicts are seen and settled by a person. The lead of
-- the worker's team keeps the standing version or puts the other one on the
-- visit; who settled it, when and how is kept (a settled conflict is never
-- deleted). Open conflicts have settled_at NULL.
ALTER TABLE visit_conflicts ADD COLUMN settled_at BIGINT;
ALTER TABLE visit_conflicts ADD COLUMN settled_by TEXT;
ALTER TABLE visit_conflicts ADD COLUMN kept TEXT CHECK (kept IN ('standing', 'other'));

-- A pull tells a phone of its edits not kept by mutation id.
CREATE INDEX visit_conflicts_by_client ON visit_conflicts (client_id, mutation_id);
