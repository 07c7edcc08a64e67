-- Contract v2 (SPEC sections 14-19): the dated group structure, the classes
-- the complete statements read, and what consolidation entries carry.

-- accounts.csv: SPEC 19.2 classes. cash_flow is resolved (own value, else
-- the nearest parent's, else the default by type and role); '' on P&L accounts.
ALTER TABLE account ADD COLUMN cash_flow VARCHAR DEFAULT '';      -- cash | operating | investing | financing
ALTER TABLE account ADD COLUMN oci VARCHAR DEFAULT '';            -- '' | recycle | keep (equity accounts)
ALTER TABLE account ADD COLUMN equity_column VARCHAR DEFAULT '';  -- override of the equity statement column

-- ownership.csv (SPEC 14, 15.4): from period `from_period` on, until the
-- entity's next row, its direct parent, the parent's holding and the method.
CREATE TABLE ownership (
    entity                  VARCHAR NOT NULL,
    from_period             VARCHAR NOT NULL,
    parent                  VARCHAR NOT NULL DEFAULT '',
    ownership_pct           DECIMAL(9, 6) NOT NULL,       -- 0 when a `none` row keeps nothing
    method                  VARCHAR NOT NULL,             -- full | equity | none
    nci_fair_value          DECIMAL(18, 2),               -- subsidiary's currency
    fair_value              DECIMAL(18, 2),               -- subsidiary's currency
    pre_acquisition_equity  DECIMAL(18, 2),               -- migration (first period only)
    pre_acquisition_cta     DECIMAL(18, 2),
    acquisition_rate        DECIMAL(20, 10),
    goodwill                DECIMAL(18, 2),
    nci_opening             DECIMAL(18, 2),               -- group currency
    path                    VARCHAR NOT NULL,             -- origin: master file and row
    row_no                  INTEGER NOT NULL,
    PRIMARY KEY (entity, from_period)
);

-- The structure in force at each consolidated period (entities.csv, then
-- ownership.csv rows), as consolidation used it.
CREATE TABLE structure (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    parent          VARCHAR NOT NULL DEFAULT '',
    ownership       DECIMAL(18, 10) NOT NULL,      -- the parent's direct holding, a fraction
    method          VARCHAR NOT NULL,              -- full | equity | none
    origin          VARCHAR NOT NULL DEFAULT ''    -- "master/ownership.csv:4" or "master/entities.csv:3"
);

-- Events of a period (SPEC 14), each measured once at its node Q (the
-- entity's direct parent) and used at every node above Q. Amounts in group
-- currency unless the column name ends in _fc (the entity's currency).
CREATE TABLE consolidation_event (
    period              VARCHAR NOT NULL,
    entity              VARCHAR NOT NULL,          -- S, the subsidiary or associate
    kind                VARCHAR NOT NULL,          -- acquisition | migration | first_period | ownership_change | loss_of_control | equity_start | equity_change | equity_end
    holder              VARCHAR NOT NULL,          -- Q, the node that measures it
    sub_group_of        VARCHAR NOT NULL DEFAULT '', -- the entity whose event this one is part of
    ownership_before    DECIMAL(18, 10) NOT NULL,
    ownership_after     DECIMAL(18, 10) NOT NULL,
    net_assets          DECIMAL(18, 2),            -- NA0 (acquisition) or NA at P-1
    net_assets_fc       DECIMAL(18, 2),
    consideration       DECIMAL(18, 2),            -- C
    consideration_fc    DECIMAL(18, 2),
    nci                 DECIMAL(18, 2),            -- NCI at acquisition, or the NCI movement
    goodwill_fc         DECIMAL(18, 2),            -- GW_fc
    goodwill_rate       DECIMAL(20, 10),           -- the rate GW_fc was measured at
    gain                DECIMAL(18, 2),            -- bargain purchase or disposal gain, presented positive
    detail              VARCHAR NOT NULL DEFAULT ''
);

-- The balance keys of S that made up -NA0 at its acquisition (SPEC 15.1):
-- the pre-acquisition equity, eliminated in every period S is a member.
CREATE TABLE acquisition_key (
    period          VARCHAR NOT NULL,              -- the acquisition period
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    amount          DECIMAL(18, 2) NOT NULL,       -- functional
    amount_group    DECIMAL(18, 2) NOT NULL        -- group currency at P-1
);

-- SPEC 17, 19.1: the entity an entry belongs to for NCI, and its flow.
ALTER TABLE consolidation_entry ADD COLUMN owner VARCHAR DEFAULT '';
ALTER TABLE consolidation_entry ADD COLUMN flow VARCHAR DEFAULT 'movement';
