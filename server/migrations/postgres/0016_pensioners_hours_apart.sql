-- Issue 14's walk: an early-retirement pensioner's hours were counted in
-- their layer while their head counted apart (a layer with 0 citizens and
-- 43 hours). The stored trend months hold hours by layer in the old
-- grouping; the next trend computes them anew with the pensioners apart.
DELETE FROM figure_snapshots;
