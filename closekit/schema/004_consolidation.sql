-- Translation and consolidation (SPEC section 7), rebuilt per period by
-- `closekit consolidate`. Balances are at the reported period: year-to-date
-- for revenue and expense accounts, cumulative for the balance sheet.

-- Each entity's trial balance at the period, functional and translated into
-- group currency, by balance key. Includes the retained-earnings roll of
-- closed fiscal years and the CTA line (the only plug), so that every
-- entity's amount_group sums to zero.
CREATE TABLE translated_balance (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    amount          DECIMAL(18, 2) NOT NULL,       -- functional currency
    amount_group    DECIMAL(18, 2) NOT NULL,       -- group currency
    rate_kind       VARCHAR NOT NULL               -- closing | average | historical | cta | roll
);

-- Members of every consolidation node (entities with subsidiaries, and the
-- top entity), with ownership along the full-method chain from the node.
CREATE TABLE node_member (
    period          VARCHAR NOT NULL,
    node            VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    depth           INTEGER NOT NULL,              -- 0 for the node itself
    direct_parent   VARCHAR NOT NULL DEFAULT '',
    ownership       DECIMAL(18, 10) NOT NULL,      -- direct, as a fraction (1 for the node)
    effective       DECIMAL(38, 18) NOT NULL       -- product of ownerships from the node (exclusive)
);

-- Consolidation entries of a node, group currency, signed debit positive.
-- entity/partner keep the pair for eliminations.
CREATE TABLE consolidation_entry (
    period          VARCHAR NOT NULL,
    node            VARCHAR NOT NULL,
    step            VARCHAR NOT NULL,              -- ic_elimination | investment | nci_result | nci_reserves
    entity          VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    account         VARCHAR NOT NULL,
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    amount_group    DECIMAL(18, 2) NOT NULL,
    note            VARCHAR NOT NULL DEFAULT ''
);
