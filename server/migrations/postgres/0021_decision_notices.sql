-- Decision notices (issue 16; seed 000's fixed procedure for telling the
-- other area about decisions on housing support): one row per recipient of
-- a decision on a § 85 grant, written with the grant in one transaction.
-- The text is a snapshot of the decision (names as they were then); rows
-- never change except `read_at`, set once by the recipient. The entity
-- `decision_notice` is scoped to the recipient in the change stream.
INSERT INTO entity_codes (code) VALUES ('decision_notice');
CREATE TABLE decision_codes (code TEXT PRIMARY KEY);
INSERT INTO decision_codes (code) VALUES ('made'), ('changed'), ('ended');
CREATE TABLE decision_notices (
    id                TEXT PRIMARY KEY,
    recipient_id      TEXT NOT NULL REFERENCES users (id),
    area_id           TEXT NOT NULL REFERENCES areas (id),
    area_name         TEXT NOT NULL,
    citizen_id        TEXT NOT NULL REFERENCES citizens (id),
    citizen_name      TEXT NOT NULL,
    grant_id          TEXT NOT NULL REFERENCES grants (id),
    decision          TEXT NOT NULL REFERENCES decision_codes (code),
    service           TEXT NOT NULL REFERENCES service_codes (code),
    allowance_minutes BIGINT NOT NULL CHECK (allowance_minutes > 0),
    allowance_per     TEXT NOT NULL REFERENCES allowance_unit_codes (code),
    valid_from        TEXT NOT NULL,
    valid_to          TEXT,
    payer_area_id     TEXT NOT NULL REFERENCES areas (id),
    payer_area_name   TEXT NOT NULL,
    decided_by        TEXT NOT NULL REFERENCES users (id),
    decided_by_name   TEXT NOT NULL,
    decided_at        BIGINT NOT NULL,
    read_at           BIGINT
);
CREATE INDEX decision_notices_by_recipient ON decision_notices (recipient_id, decided_at);
CREATE INDEX decision_notices_unread_by_area ON decision_notices (area_id, read_at);
CREATE INDEX decision_notices_unread_by_decider ON decision_notices (decided_by, read_at);
CREATE INDEX decision_notices_by_grant ON decision_notices (grant_id);
