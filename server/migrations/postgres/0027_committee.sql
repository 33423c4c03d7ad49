-- The coordination and visitation committee (issue 16, seed 001). A worker,
-- mentor or coordinator proposes a citizen with a reason; a lead refers
-- the case or not, with a reason (`screening`); a referred case is on the
-- next committee meeting's agenda until the committee decides: the plan's
-- start, the coordinating case worker (who becomes the citizen's
-- coordinator) and the areas involved. `seen_stage` is the last stage the
-- proposer has seen: a later one is news on their Today.
CREATE TABLE screening_codes (code TEXT PRIMARY KEY);
INSERT INTO screening_codes (code) VALUES ('refer'), ('not_refer');
CREATE TABLE referral_stage_codes (code TEXT PRIMARY KEY);
INSERT INTO referral_stage_codes (code) VALUES ('awaiting_lead'), ('not_referred'), ('awaiting_committee'), ('decided');
CREATE TABLE committee_meetings (
    id         TEXT PRIMARY KEY,
    on_date    TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE TABLE referrals (
    id               TEXT PRIMARY KEY,
    citizen_id       TEXT NOT NULL REFERENCES citizens (id),
    proposed_by      TEXT NOT NULL REFERENCES users (id),
    proposed_at      BIGINT NOT NULL,
    reason           TEXT NOT NULL,
    screening        TEXT REFERENCES screening_codes (code),
    screening_reason TEXT,
    screened_by      TEXT REFERENCES users (id),
    screened_at      BIGINT,
    meeting_id       TEXT REFERENCES committee_meetings (id),
    plan_start       TEXT,
    coordinator_id   TEXT REFERENCES users (id),
    decision_note    TEXT,
    decided_by       TEXT REFERENCES users (id),
    decided_at       BIGINT,
    seen_stage       TEXT NOT NULL REFERENCES referral_stage_codes (code),
    CHECK ((screening IS NULL) = (screened_at IS NULL)),
    CHECK ((meeting_id IS NULL) = (decided_at IS NULL))
);
CREATE INDEX referrals_by_citizen ON referrals (citizen_id, proposed_at);
CREATE INDEX referrals_by_proposer ON referrals (proposed_by, proposed_at);
CREATE TABLE referral_areas (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    area_id     TEXT NOT NULL REFERENCES areas (id),
    position    BIGINT NOT NULL,
    PRIMARY KEY (referral_id, area_id)
);
