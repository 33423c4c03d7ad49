-- The rhythm of cross-disciplinary meetings per target group (issue 16:
-- "planned meetings (the rhythm set per target group; three a year by
-- default)"): a layer of the scheme may set how many meetings a year its
-- citizens are to have, 0 (none expected) to 12; NULL is the default
-- (three a year; a sub-category follows its layer).
ALTER TABLE layers ADD COLUMN meetings_per_year INTEGER CHECK (meetings_per_year IS NULL OR meetings_per_year BETWEEN 0 AND 12);
