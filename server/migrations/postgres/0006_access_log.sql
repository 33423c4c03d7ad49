-- The access log (Datatilsynet's "logning", GDPR art. 15): every read,
-- search, create, change, export and delete of citizen data. Written by the
-- server only, never changed; entries older than the retention period
-- (setting `access_log_retention`, 6 months by default) are deleted by the
-- server itself. No foreign keys: an entry outlives nothing it names, and
-- writing one must never fail because of what it is about.
CREATE TABLE access_log (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    user_id    TEXT NOT NULL,
    citizen_id TEXT,
    action     TEXT NOT NULL CHECK (action IN ('read', 'search', 'create', 'change', 'export', 'delete')),
    purpose    TEXT NOT NULL CHECK (purpose IN ('field_work', 'citizen_list', 'oversight', 'grant_decision', 'billing',
                                                'administration', 'access_report', 'data_exchange')),
    detail     TEXT
);
CREATE INDEX access_log_by_citizen ON access_log (citizen_id, at);
CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_time ON access_log (at);
