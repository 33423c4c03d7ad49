-- The case review (issue 14, seed 000): the layer a citizen is classified
-- into is a dated classification made by a person, not a column of the
-- citizen; the age band comes from the birth date at the date asked about;
-- a citizen's case in an area opens and closes; a named review lists the
-- citizens to classify; an area head sees the figures of their areas.
-- The same tables as sqlite/0010_case_review.sql.

INSERT INTO role_codes (code) VALUES ('area_head');

-- An area head (områdeleder) heads the areas they are linked to.
CREATE TABLE area_heads (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    area_id TEXT NOT NULL REFERENCES areas (id),
    PRIMARY KEY (user_id, area_id)
);

-- The municipality's classification scheme: its layers, in their order.
CREATE TABLE layers (
    code      TEXT PRIMARY KEY,
    label_da  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    area_kind TEXT REFERENCES area_kind_codes (code),
    position  BIGINT NOT NULL
);
INSERT INTO layers (code, label_da, label_en, area_kind, position) VALUES
    ('employment', 'Overflyttes til beskæftigelsesområdet', 'Moved to the employment area', 'employment', 1),
    ('joint_plan', 'Fælles plan', 'Joint plan', 'employment', 2),
    ('social', 'Forbliver på socialområdet', 'Stays in the social area', 'social', 3);

CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    review_date TEXT NOT NULL,
    -- The scope: an area, a team, or neither (the municipality).
    area_id     TEXT REFERENCES areas (id),
    team_id     TEXT REFERENCES teams (id),
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE review_items (
    review_id   TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    citizen_id  TEXT NOT NULL REFERENCES citizens (id),
    priority    TEXT CHECK (priority IS NULL OR priority IN ('high', 'normal', 'low')),
    note        TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at BIGINT,
    PRIMARY KEY (review_id, citizen_id)
);
CREATE INDEX review_items_by_citizen ON review_items (citizen_id);

CREATE TABLE classifications (
    citizen_id TEXT NOT NULL REFERENCES citizens (id),
    valid_from TEXT NOT NULL,
    layer      TEXT NOT NULL REFERENCES layers (code),
    made_by    TEXT REFERENCES users (id),
    made_at    BIGINT NOT NULL,
    review_id  TEXT REFERENCES reviews (id),
    PRIMARY KEY (citizen_id, valid_from)
);
CREATE INDEX classifications_by_layer ON classifications (layer);

CREATE TABLE cases (
    citizen_id    TEXT NOT NULL REFERENCES citizens (id),
    area_id       TEXT NOT NULL REFERENCES areas (id),
    opened_on     TEXT NOT NULL,
    closed_on     TEXT,
    caseworker_id TEXT REFERENCES users (id),
    PRIMARY KEY (citizen_id, area_id, opened_on),
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX cases_by_area ON cases (area_id, opened_on);
CREATE INDEX cases_by_caseworker ON cases (caseworker_id);

INSERT INTO classifications (citizen_id, valid_from, layer, made_by, made_at, review_id)
    SELECT c.id,
           COALESCE((SELECT MIN(g.valid_from) FROM grants g WHERE g.citizen_id = c.id),
                    (SELECT MIN(a.valid_from) FROM assignments a WHERE a.citizen_id = c.id),
                    '2000-01-01'),
           CASE c.target_group WHEN 'complex' THEN 'employment' WHEN 'very_complex' THEN 'joint_plan'
                               ELSE 'social' END,
           NULL, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT, NULL
    FROM citizens c WHERE c.target_group <> 'youth';

INSERT INTO cases (citizen_id, area_id, opened_on, closed_on, caseworker_id)
    SELECT g.citizen_id, g.payer_area_id, MIN(g.valid_from), NULL, NULL
    FROM grants g GROUP BY g.citizen_id, g.payer_area_id;

ALTER TABLE citizens DROP COLUMN target_group,
    ADD COLUMN birth_date TEXT,
    ADD CHECK (birth_date IS NULL OR CAST(substr(birth_date, 1, 4) AS BIGINT) = birth_year);
DROP TABLE target_group_codes;
