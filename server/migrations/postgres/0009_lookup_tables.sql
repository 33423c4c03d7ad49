-- Enum values are rows, not CHECK lists (issue 13). Each domain enum has a
-- lookup table `<enum>_codes` holding its wire codes, and every column of
-- that enum refers to it by foreign key. A new value (a visit kind, a synced
-- entity, an access purpose) is then one INSERT on both backends, where a
-- CHECK list would have to be replaced on the largest tables (visits,
-- sync_changes, access_log). The server's tests check each table against
-- the Rust enum's `ALL`. Here the CHECKs are dropped and the foreign keys
-- added in place (validated by one scan, no table rewritten).
-- Two-valued internal states (sync_mutations.status, period_lock_events.action,
-- 0/1 flags) keep their CHECK: they are not domain enums.

CREATE TABLE area_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO area_kind_codes (code) VALUES ('employment'), ('social'), ('children_youth');
CREATE TABLE role_codes (code TEXT PRIMARY KEY);
INSERT INTO role_codes (code) VALUES ('worker'), ('mentor'), ('coordinator'), ('lead'), ('admin');
CREATE TABLE target_group_codes (code TEXT PRIMARY KEY);
INSERT INTO target_group_codes (code) VALUES ('complex'), ('very_complex'), ('limited_work_capacity'), ('youth');
CREATE TABLE benefit_type_codes (code TEXT PRIMARY KEY);
INSERT INTO benefit_type_codes (code) VALUES ('early_retirement_pension'), ('cash_benefit'), ('education_benefit'),
    ('resource_course_benefit'), ('sickness_benefit'), ('flex_job_benefit'), ('other');
CREATE TABLE service_codes (code TEXT PRIMARY KEY);
INSERT INTO service_codes (code) VALUES ('housing_support'), ('mentor'), ('contact_person');
CREATE TABLE allowance_unit_codes (code TEXT PRIMARY KEY);
INSERT INTO allowance_unit_codes (code) VALUES ('week'), ('month');
CREATE TABLE period_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO period_kind_codes (code) VALUES ('week'), ('month'), ('quarter'), ('year');
CREATE TABLE rollover_codes (code TEXT PRIMARY KEY);
INSERT INTO rollover_codes (code) VALUES ('expire'), ('roll_over'), ('carry_overruns');
CREATE TABLE visit_kind_codes (code TEXT PRIMARY KEY);
INSERT INTO visit_kind_codes (code) VALUES ('home_visit'), ('phone_video'), ('escort'), ('meeting'), ('no_show');
CREATE TABLE visit_status_codes (code TEXT PRIMARY KEY);
INSERT INTO visit_status_codes (code) VALUES ('draft'), ('submitted'), ('approved');
CREATE TABLE entity_codes (code TEXT PRIMARY KEY);
INSERT INTO entity_codes (code) VALUES ('citizen'), ('assignment'), ('grant'), ('drawing_right'), ('visit'), ('timer');
CREATE TABLE access_action_codes (code TEXT PRIMARY KEY);
INSERT INTO access_action_codes (code) VALUES ('read'), ('search'), ('create'), ('change'), ('export'), ('delete');
CREATE TABLE access_purpose_codes (code TEXT PRIMARY KEY);
INSERT INTO access_purpose_codes (code) VALUES ('field_work'), ('citizen_list'), ('oversight'), ('grant_decision'),
    ('billing'), ('administration'), ('access_report'), ('data_exchange');
CREATE TABLE conflict_keep_codes (code TEXT PRIMARY KEY);
INSERT INTO conflict_keep_codes (code) VALUES ('standing'), ('other');

ALTER TABLE areas DROP CONSTRAINT areas_kind_check,
    ADD FOREIGN KEY (kind) REFERENCES area_kind_codes (code);
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check,
    ADD FOREIGN KEY (role) REFERENCES role_codes (code);
ALTER TABLE citizens DROP CONSTRAINT citizens_target_group_check,
    DROP CONSTRAINT citizens_benefit_type_check,
    ADD FOREIGN KEY (target_group) REFERENCES target_group_codes (code),
    ADD FOREIGN KEY (benefit_type) REFERENCES benefit_type_codes (code);
ALTER TABLE grants DROP CONSTRAINT grants_service_check,
    DROP CONSTRAINT grants_per_check,
    ADD FOREIGN KEY (service) REFERENCES service_codes (code),
    ADD FOREIGN KEY (per) REFERENCES allowance_unit_codes (code);
ALTER TABLE drawing_rights DROP CONSTRAINT drawing_rights_period_kind_check,
    DROP CONSTRAINT drawing_rights_rollover_check,
    ADD FOREIGN KEY (period_kind) REFERENCES period_kind_codes (code),
    ADD FOREIGN KEY (rollover) REFERENCES rollover_codes (code);
ALTER TABLE visits DROP CONSTRAINT visits_kind_check,
    DROP CONSTRAINT visits_status_check,
    ADD FOREIGN KEY (kind) REFERENCES visit_kind_codes (code),
    ADD FOREIGN KEY (status) REFERENCES visit_status_codes (code);
ALTER TABLE sync_changes DROP CONSTRAINT sync_changes_entity_check,
    ADD FOREIGN KEY (entity) REFERENCES entity_codes (code);
ALTER TABLE sync_departures DROP CONSTRAINT sync_departures_entity_check,
    ADD FOREIGN KEY (entity) REFERENCES entity_codes (code);
ALTER TABLE access_log DROP CONSTRAINT access_log_action_check,
    DROP CONSTRAINT access_log_purpose_check,
    ADD FOREIGN KEY (action) REFERENCES access_action_codes (code),
    ADD FOREIGN KEY (purpose) REFERENCES access_purpose_codes (code);
ALTER TABLE visit_conflicts DROP CONSTRAINT visit_conflicts_kept_check,
    ADD FOREIGN KEY (kept) REFERENCES conflict_keep_codes (code);
