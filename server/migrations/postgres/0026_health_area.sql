-- The health area (issue 15: one plan "across the employment, social and
-- health areas"): a kind of area next to employment, social and children &
-- youth, for the municipality's health offers (addiction treatment,
-- rehabilitation) in the catalogue and the areas a goal belongs to.
INSERT INTO area_kind_codes (code) VALUES ('health');
