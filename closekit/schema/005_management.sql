-- The management (vertical) view (SPEC section 8), rebuilt per period by the
-- management step of `closekit close` (closekit/manage.py). Group currency,
-- signed debit positive. Nothing here ever flows back into legal-entity or
-- consolidated statements.

-- The management ledger of a reported period: the group members' translated
-- P&L, the allocation postings and the group's intercompany P&L eliminations,
-- each line with the profit center it reaches and three figures: the month,
-- the fiscal year to date and the prior month.
CREATE TABLE management_line (
    period          VARCHAR NOT NULL,              -- the reported period
    source          VARCHAR NOT NULL,              -- ledger | allocation | elimination
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',   -- the line's own profit center
    cost_center     VARCHAR NOT NULL DEFAULT '',
    cycle           VARCHAR NOT NULL DEFAULT '',   -- allocation lines: the cycle that posted them
    reached_pc      VARCHAR NOT NULL DEFAULT '',   -- own profit center, else the cost center's, else ''
    bucket          VARCHAR NOT NULL,              -- profit_center | unallocated | unassigned | eliminations
    month_amount    DECIMAL(18, 2) NOT NULL,
    ytd_amount      DECIMAL(18, 2) NOT NULL,
    prior_amount    DECIMAL(18, 2) NOT NULL
);

-- Every allocation of every month of the fiscal year up to the reported
-- period (and the prior month), as computed by that period's management run:
-- the YTD allocation is the sum of the fiscal year's monthly allocations.
CREATE TABLE allocation_posting (
    period          VARCHAR NOT NULL,              -- the reported period whose run computed it
    month           VARCHAR NOT NULL,              -- the month allocated
    cycle           VARCHAR NOT NULL,
    sender          VARCHAR NOT NULL,              -- cost center credited
    sender_entity   VARCHAR NOT NULL,              -- the cost center's legal entity
    receiver        VARCHAR NOT NULL,              -- profit center debited
    basis           VARCHAR NOT NULL,              -- fixed | revenue
    share           DECIMAL(38, 18) NOT NULL,      -- share used (revenue: receiver's revenue / total, 18 places)
    sender_cost     DECIMAL(18, 2) NOT NULL,       -- the sender's cost of the month that the cycle sent
    amount          DECIMAL(18, 2) NOT NULL        -- debit on the receiver; the last receiver absorbs rounding
);

-- Things a controller should know about a management run (a revenue-based
-- cycle whose receivers had no revenue, so nothing was sent).
CREATE TABLE management_warning (
    period          VARCHAR NOT NULL,
    month           VARCHAR NOT NULL,
    cycle           VARCHAR NOT NULL,
    sender          VARCHAR NOT NULL,
    message         VARCHAR NOT NULL
);
