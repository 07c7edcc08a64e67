-- SPEC 15.1: where a pre-acquisition P&L key sits at a later period. A P&L
-- key is a P&L balance while its fiscal year runs and part of retained
-- earnings after the roll: fiscal_year is the first period of the year in
-- which the key is a P&L balance (NULL for balance-sheet keys).
ALTER TABLE acquisition_key ADD COLUMN fiscal_year VARCHAR;

-- IFRS 3.42: the gain or loss on remeasuring a stake held before control.
ALTER TABLE consolidation_event ADD COLUMN remeasurement_gain DECIMAL(18, 2);

-- IFRS 3.19: NCI measured at fair value ("full goodwill"); its share of the
-- goodwill's exchange differences is then the NCI's (IAS 36.C6).
ALTER TABLE consolidation_event ADD COLUMN nci_at_fair_value BOOLEAN DEFAULT false;
