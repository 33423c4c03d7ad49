-- Administration: temporary passwords, and the case ids imports match on.

-- Set when an administrator gives a temporary password; the user must
-- choose their own before doing anything else.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));

-- The citizen's and the grant's ids in the municipality's case system
-- ("two IT systems"): an import run twice updates, never duplicates.
ALTER TABLE citizens ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX citizens_by_external_id ON citizens (external_id);
ALTER TABLE grants ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX grants_by_external_id ON grants (external_id);
