-- Master data frozen at lock (SPEC section 5): the master data each period's
-- consolidation ran with, one row per master table row as JSON
-- (closekit/snapshot.py decodes it into the table's columns). A dated table
-- (fx_rate, fx_cross, ownership) holds its rows up to the period. Locking keeps a
-- period's rows, reopening drops them; queries of a locked period read them.
CREATE TABLE master_snapshot (
    period          VARCHAR NOT NULL,
    master_table    VARCHAR NOT NULL,              -- entity, account, fx_rate, ...
    seq             INTEGER NOT NULL,              -- the row's order in the table (0: the table is recorded)
    data            VARCHAR NOT NULL               -- to_json(row)
);

-- Periods locked before snapshots existed get the master data as loaded now.
-- Row seq 0 of a table says the snapshot holds it: a master table created by
-- a later migration (ic_margin, 072) is not in these snapshots and reads as
-- loaded (closekit/snapshot.py, recorded_tables).
INSERT INTO master_snapshot
SELECT s.period, t.name, 0, '{}'
FROM period_status s,
     (VALUES ('entity'), ('account'), ('business_unit'), ('profit_center'), ('cost_center'),
             ('posting_rule'), ('allocation'), ('statement_layout'), ('fx_rate'),
             ('ownership'), ('fx_cross'), ('master_file')) t(name)
WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'entity', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, entity t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'account', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, account t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'business_unit', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, business_unit t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'profit_center', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, profit_center t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'cost_center', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, cost_center t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'posting_rule', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, posting_rule t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'allocation', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, allocation t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'statement_layout', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, statement_layout t WHERE s.locked_at IS NOT NULL;
INSERT INTO master_snapshot
SELECT s.period, 'fx_rate', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, fx_rate t WHERE s.locked_at IS NOT NULL AND t.period <= s.period;
INSERT INTO master_snapshot
SELECT s.period, 'ownership', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, ownership t WHERE s.locked_at IS NOT NULL AND t.from_period <= s.period;
INSERT INTO master_snapshot
SELECT s.period, 'fx_cross', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, fx_cross t WHERE s.locked_at IS NOT NULL AND t.period <= s.period;
INSERT INTO master_snapshot
SELECT s.period, 'master_file', row_number() OVER (PARTITION BY s.period ORDER BY t.rowid), to_json(t)
FROM period_status s, master_file t WHERE s.locked_at IS NOT NULL;
