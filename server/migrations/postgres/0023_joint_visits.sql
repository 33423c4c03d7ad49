-- Joint visits (issue 16; seed 000's joint conversations): one visit with
-- several staff, logged by one of them. The logged visit names the
-- colleagues who took part (`co_workers`, a JSON array of user ids); each
-- colleague gets a share of their own, a visit row under their name that
-- points at the visit it is a share of (`joint_of`) and follows it, so
-- each participant's minutes count once, for them, in every report.
ALTER TABLE visits ADD COLUMN co_workers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE visits ADD COLUMN joint_of TEXT;
CREATE INDEX visits_by_joint_of ON visits (joint_of);
