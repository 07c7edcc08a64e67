-- Flows (SPEC 19.1): every journal line says which flow of the statement of
-- changes in equity and of cash flows its movement belongs to. Journal rows
-- take it from their optional `flow` column (default movement), opening rows
-- are `opening`, subledger rows `movement`, revaluation of cash `translation`.
ALTER TABLE source_row ADD COLUMN flow VARCHAR DEFAULT '';        -- as given (lower-case), '' = default
ALTER TABLE journal ADD COLUMN flow VARCHAR DEFAULT 'movement';
ALTER TABLE journal_total ADD COLUMN flow VARCHAR DEFAULT 'movement';

-- A journal posted before flows existed: its opening lines are openings,
-- and its period totals are split by flow.
UPDATE journal SET flow = 'opening' WHERE module = 'opening';
DELETE FROM journal_total;
INSERT INTO journal_total
SELECT period, entity, account, partner, profit_center, cost_center,
       amount_group IS NOT NULL, sum(amount), sum(amount_group), flow
FROM journal
GROUP BY ALL;
