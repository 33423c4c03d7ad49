-- The figures' stored parts (issue 14's benchmark: the layer table at a
-- date and the 12-month trend at 100 000 citizens).
--
-- `layer_spans`: who is in a scope's layer table on which days, derived
-- from `cases`, `classifications` and `citizens` and rewritten for a
-- citizen whenever one of those changes (db/review.rs,
-- `refresh_layer_spans`; the server fills it when `settings` lacks the
-- current `layer_spans` version). One row per island of overlapping cases
-- in the scope (an area's id, or '' for the municipality: all areas) and
-- classification in force during it: the citizen counts on day d when
-- opened_on <= d <= closed_on (NULL: open) and layer_from <= d < layer_to
-- (NULL: unbounded; layer NULL: not assessed). The table at a date reads
-- this one table, not three per citizen.
--
-- `figure_change_log` and `figure_changes`: per month (`YYYY-MM`;
-- '0000-00' for changes that reach every month) and part of the figures
-- (`hours`: visits, and what groups them; `people`: who is counted where),
-- how many writes have touched that part's data from that month on.
-- Triggers add a row to the log in the writing transaction (an insert
-- only: writers never wait for each other on it); the server folds the log
-- into `figure_changes`' counts now and then, which keeps the totals. A
-- stored month (`figure_snapshots`, the trend's facts of one scope and
-- month) is current exactly while, for each part, the count of the months
-- up to and including its own is the count it was computed under
-- (`seen_people`, `seen_hours`): a visit logged today leaves this month's
-- counts and shared group stored and only its hours are summed again. A
-- visit counts in its UTC month, which is never after its Copenhagen
-- month.

CREATE TABLE layer_spans (
    scope            TEXT NOT NULL,
    citizen_id       TEXT NOT NULL REFERENCES citizens (id),
    opened_on        TEXT NOT NULL,
    closed_on        TEXT,
    layer            TEXT,
    layer_from       TEXT,
    layer_to         TEXT,
    birth_year       INTEGER NOT NULL,
    birth_date       TEXT,
    early_retirement INTEGER NOT NULL CHECK (early_retirement IN (0, 1))
);
CREATE INDEX layer_spans_by_scope ON layer_spans
    (scope, opened_on, closed_on, layer_from, layer_to, layer, birth_year, birth_date, early_retirement);
CREATE INDEX layer_spans_by_citizen ON layer_spans (citizen_id);

CREATE TABLE figure_change_log (
    month TEXT NOT NULL,
    part  TEXT NOT NULL CHECK (part IN ('hours', 'people'))
);

CREATE TABLE figure_changes (
    month   TEXT NOT NULL,
    part    TEXT NOT NULL CHECK (part IN ('hours', 'people')),
    version INTEGER NOT NULL,
    PRIMARY KEY (month, part)
);

CREATE TABLE figure_snapshots (
    scope       TEXT NOT NULL,
    month       TEXT NOT NULL,
    picture_day TEXT NOT NULL,
    seen_people INTEGER NOT NULL,
    seen_hours  INTEGER NOT NULL,
    facts       TEXT NOT NULL,
    PRIMARY KEY (scope, month)
);

-- The triggers: a row's month for the dated rows (an interval's start: it
-- reaches every later month), every month for who a citizen is, who is in
-- a team and which area a team belongs to. Visits are hours; cases,
-- grants and assignments are people; a classification is both (hours are
-- grouped by layer), and so are teams (hours are by the scope's staff).
CREATE TRIGGER visits_figures_insert AFTER INSERT ON visits BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (strftime('%Y-%m', NEW.started_at / 1000, 'unixepoch'), 'hours');
END;
CREATE TRIGGER visits_figures_update AFTER UPDATE ON visits BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (strftime('%Y-%m', OLD.started_at / 1000, 'unixepoch'), 'hours');
    INSERT INTO figure_change_log (month, part) VALUES (strftime('%Y-%m', NEW.started_at / 1000, 'unixepoch'), 'hours');
END;
CREATE TRIGGER visits_figures_delete AFTER DELETE ON visits BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (strftime('%Y-%m', OLD.started_at / 1000, 'unixepoch'), 'hours');
END;
CREATE TRIGGER cases_figures_insert AFTER INSERT ON cases BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.opened_on, 1, 7), 'people');
END;
CREATE TRIGGER cases_figures_update AFTER UPDATE ON cases BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.opened_on, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.opened_on, 1, 7), 'people');
END;
CREATE TRIGGER cases_figures_delete AFTER DELETE ON cases BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.opened_on, 1, 7), 'people');
END;
CREATE TRIGGER classifications_figures_insert AFTER INSERT ON classifications BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'hours');
END;
CREATE TRIGGER classifications_figures_update AFTER UPDATE ON classifications BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'hours');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'hours');
END;
CREATE TRIGGER classifications_figures_delete AFTER DELETE ON classifications BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'hours');
END;
CREATE TRIGGER grants_figures_insert AFTER INSERT ON grants BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER grants_figures_update AFTER UPDATE ON grants BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER grants_figures_delete AFTER DELETE ON grants BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER assignments_figures_insert AFTER INSERT ON assignments BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER assignments_figures_update AFTER UPDATE ON assignments BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
    INSERT INTO figure_change_log (month, part) VALUES (substr(NEW.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER assignments_figures_delete AFTER DELETE ON assignments BEGIN
    INSERT INTO figure_change_log (month, part) VALUES (substr(OLD.valid_from, 1, 7), 'people');
END;
CREATE TRIGGER citizens_figures_update AFTER UPDATE ON citizens BEGIN
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'people');
END;
CREATE TRIGGER team_members_figures_insert AFTER INSERT ON team_members BEGIN
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'people');
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'hours');
END;
CREATE TRIGGER team_members_figures_update AFTER UPDATE ON team_members BEGIN
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'people');
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'hours');
END;
CREATE TRIGGER team_members_figures_delete AFTER DELETE ON team_members BEGIN
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'people');
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'hours');
END;
CREATE TRIGGER teams_figures_update AFTER UPDATE OF area_id ON teams BEGIN
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'people');
    INSERT INTO figure_change_log (month, part) VALUES ('0000-00', 'hours');
END;
