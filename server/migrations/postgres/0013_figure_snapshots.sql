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
    birth_year       BIGINT NOT NULL,
    birth_date       TEXT,
    early_retirement BIGINT NOT NULL CHECK (early_retirement IN (0, 1))
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
    version BIGINT NOT NULL,
    PRIMARY KEY (month, part)
);

CREATE TABLE figure_snapshots (
    scope       TEXT NOT NULL,
    month       TEXT NOT NULL,
    picture_day TEXT NOT NULL,
    seen_people BIGINT NOT NULL,
    seen_hours  BIGINT NOT NULL,
    facts       TEXT NOT NULL,
    PRIMARY KEY (scope, month)
);

-- The triggers: a row's month for the dated rows (an interval's start: it
-- reaches every later month), every month for who a citizen is, who is in
-- a team and which area a team belongs to. Visits are hours; cases,
-- grants and assignments are people; a classification is both (hours are
-- grouped by layer), and so are teams (hours are by the scope's staff).
CREATE FUNCTION figure_changed(changed TEXT, changed_part TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_change_log (month, part) VALUES (changed, changed_part)
$$;

-- A row's months before and after a write (NULL: none) for `changed_part`.
CREATE FUNCTION figure_rows_changed(before TEXT, after TEXT, changed_part TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF before IS NOT NULL THEN
        PERFORM figure_changed(before, changed_part);
    END IF;
    IF after IS NOT NULL AND after IS DISTINCT FROM before THEN
        PERFORM figure_changed(after, changed_part);
    END IF;
END
$$;

-- Every month's people, and its hours too when the trigger's argument is 'hours'.
CREATE FUNCTION figure_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_changed('0000-00', 'people');
    IF TG_NARGS > 0 AND TG_ARGV[0] = 'hours' THEN
        PERFORM figure_changed('0000-00', 'hours');
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION visits_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN to_char(to_timestamp(OLD.started_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM') END,
        CASE WHEN TG_OP <> 'DELETE' THEN to_char(to_timestamp(NEW.started_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM') END, 'hours');
    RETURN NULL;
END
$$;
CREATE TRIGGER visits_figures AFTER INSERT OR UPDATE OR DELETE ON visits FOR EACH ROW EXECUTE FUNCTION visits_figures();

CREATE FUNCTION cases_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN substr(OLD.opened_on, 1, 7) END,
        CASE WHEN TG_OP <> 'DELETE' THEN substr(NEW.opened_on, 1, 7) END, 'people');
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_figures AFTER INSERT OR UPDATE OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION cases_figures();

CREATE FUNCTION classifications_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN substr(OLD.valid_from, 1, 7) END,
        CASE WHEN TG_OP <> 'DELETE' THEN substr(NEW.valid_from, 1, 7) END, 'people');
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN substr(OLD.valid_from, 1, 7) END,
        CASE WHEN TG_OP <> 'DELETE' THEN substr(NEW.valid_from, 1, 7) END, 'hours');
    RETURN NULL;
END
$$;
CREATE TRIGGER classifications_figures AFTER INSERT OR UPDATE OR DELETE ON classifications FOR EACH ROW EXECUTE FUNCTION classifications_figures();

CREATE FUNCTION grants_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN substr(OLD.valid_from, 1, 7) END,
        CASE WHEN TG_OP <> 'DELETE' THEN substr(NEW.valid_from, 1, 7) END, 'people');
    RETURN NULL;
END
$$;
CREATE TRIGGER grants_figures AFTER INSERT OR UPDATE OR DELETE ON grants FOR EACH ROW EXECUTE FUNCTION grants_figures();

CREATE FUNCTION assignments_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM figure_rows_changed(
        CASE WHEN TG_OP <> 'INSERT' THEN substr(OLD.valid_from, 1, 7) END,
        CASE WHEN TG_OP <> 'DELETE' THEN substr(NEW.valid_from, 1, 7) END, 'people');
    RETURN NULL;
END
$$;
CREATE TRIGGER assignments_figures AFTER INSERT OR UPDATE OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION assignments_figures();

CREATE TRIGGER citizens_figures AFTER UPDATE ON citizens FOR EACH ROW EXECUTE FUNCTION figure_all_changed();
CREATE TRIGGER team_members_figures AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION figure_all_changed('hours');
CREATE TRIGGER teams_figures AFTER UPDATE OF area_id ON teams FOR EACH ROW EXECUTE FUNCTION figure_all_changed('hours');
