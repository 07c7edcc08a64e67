-- The journal's period totals (closekit.post): per period, entity, account
-- and dimensions, the sum of the lines' functional amounts, and of their
-- group amounts where the lines carry one (has_group). Posting writes an
-- entity's totals in the same transaction as its lines; trial balances,
-- translation and the reports' balances read these (about 120,000 rows at
-- 25 million lines) instead of every line. Drill-down and the checks read
-- the lines themselves.
CREATE TABLE journal_total (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL,
    profit_center   VARCHAR NOT NULL,
    cost_center     VARCHAR NOT NULL,
    has_group       BOOLEAN NOT NULL,              -- the lines' amount_group is not NULL
    amount          DECIMAL(38, 2) NOT NULL,       -- sum of amount
    amount_group    DECIMAL(38, 2)                 -- sum of amount_group; NULL unless has_group
);

-- A database posted before this table existed: the totals of its journal.
INSERT INTO journal_total
SELECT period, entity, account, partner, profit_center, cost_center,
       amount_group IS NOT NULL, sum(amount), sum(amount_group)
FROM journal
GROUP BY ALL;
