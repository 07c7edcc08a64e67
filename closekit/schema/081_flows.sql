-- Flows (SPEC 19.1): every group-currency movement of a balance-sheet key
-- from the prior fiscal year end to the period, written by consolidation.
-- Keys are entity x account x partner (profit and cost centres summed); P&L
-- accounts are seen after the roll, on retained earnings with flow profit.
-- For every key, the flows (opening included) sum to the closing balance.

-- Each entity's translated flows (its own books).
CREATE TABLE entity_flow (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    flow            VARCHAR NOT NULL,   -- opening | profit | oci | translation | acquisition | disposal | ownership_change | dividend | capital | movement
    amount          DECIMAL(18, 2) NOT NULL
);

-- Each node's flows: its members' translated flows plus its consolidation
-- entries, per entity the key belongs to.
CREATE TABLE node_flow (
    period          VARCHAR NOT NULL,
    node            VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    flow            VARCHAR NOT NULL,
    amount          DECIMAL(18, 2) NOT NULL
);
