-- Approvals (a lead approves a team's month; approved visits are
-- immutable), their history, settings, and the indexes usage reports read.

-- A month of a team that is approved. Visits by the team's members that
-- started in the month (Copenhagen time) are approved and locked; a push
-- that would change or add one is rejected with its payload kept.
CREATE TABLE period_locks (
    team_id   TEXT NOT NULL REFERENCES teams (id),
    month     TEXT NOT NULL,
    locked_by TEXT NOT NULL REFERENCES users (id),
    locked_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, month)
);

-- Every approval and reopening, never deleted: who, when, why, how many.
CREATE TABLE period_lock_events (
    id      TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams (id),
    month   TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('approve', 'reopen')),
    user_id TEXT NOT NULL REFERENCES users (id),
    at      BIGINT NOT NULL,
    reason  TEXT,
    visits  BIGINT NOT NULL
);
CREATE INDEX period_lock_events_by_team ON period_lock_events (team_id, month, at);

-- Small settings an admin can change, as JSON values (e.g. caseload norms).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Usage per grant and per pool, by time.
CREATE INDEX visits_by_grant ON visits (charged_grant_id, started_at);
CREATE INDEX visits_by_pool ON visits (charged_pool_id, started_at);
