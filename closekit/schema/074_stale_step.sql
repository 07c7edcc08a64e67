-- SPEC 20 ("re-consolidating a period ... marks every later consolidated
-- period stale"): the first step a stale period must run again. 'posted'
-- when an earlier period was re-posted with different balances (its posting
-- reads them); 'consolidated' when an earlier period was re-consolidated
-- with different entries (its consolidation reads them; its posting stands).
ALTER TABLE period_status ADD COLUMN stale_step VARCHAR DEFAULT 'posted';
