-- Sub-categories of the classification scheme (issue 14, seed 003: KL's
-- six citizen types, then sub-categories by challenge — economy, children,
-- substance abuse): a layer may belong under a top-level layer. A citizen
-- classified into a sub-category counts in it and in its parent.

ALTER TABLE layers ADD COLUMN parent TEXT REFERENCES layers (code);
