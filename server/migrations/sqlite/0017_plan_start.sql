-- Issue 15's walk: a follow-up before the day the plan was begun in the
-- app was refused, though the plan was agreed with the citizen earlier.
-- The plan's start may be set (back-dated); none: the day it was begun.
ALTER TABLE plans ADD COLUMN began_on TEXT;
