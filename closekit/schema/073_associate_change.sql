-- SPEC 16.2 (IAS 28.22-28.25) and 15.1 (IFRS 3.42): a change of holding in
-- an associate, the end of equity accounting and an associate that becomes
-- a subsidiary fix entries at each node, as a loss of control does
-- (closekit/consolidation/associate_change.py). event_line now says which
-- rule wrote a line and its SPEC 19.1 flow; a loss of control's lines keep
-- 'disposal' for both.
ALTER TABLE event_line ADD COLUMN step VARCHAR DEFAULT 'disposal';
ALTER TABLE event_line ADD COLUMN flow VARCHAR DEFAULT 'disposal';
-- For an associate that becomes a subsidiary: its equity-method carrying
-- amount above Q's cost plus its share of the associate's OCI at P-1
-- (debit positive), taken out of the gain on the stake held (IFRS 3.42).
ALTER TABLE consolidation_event ADD COLUMN carried DECIMAL(18, 2);
