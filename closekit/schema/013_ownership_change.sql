-- SPEC 15.3 (IFRS 10.23, B96; IAS 21.48C): what a change in ownership without
-- loss of control moves within equity, debit positive.
ALTER TABLE consolidation_event ADD COLUMN ownership_changes DECIMAL(18, 2);
ALTER TABLE consolidation_event ADD COLUMN cta_reclassified DECIMAL(18, 2);
