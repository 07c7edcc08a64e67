-- Master data (SPEC section 3). Replaced as a whole, in one transaction, by
-- every load: the workspace's master/ folder is the truth.
-- Codes are trimmed strings; '' means "none" (never NULL) so joins stay simple.

CREATE TABLE entity (
    entity          VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    name_zh         VARCHAR NOT NULL DEFAULT '',
    currency        VARCHAR NOT NULL,              -- functional currency, upper-case
    parent          VARCHAR NOT NULL DEFAULT '',   -- '' for the one top entity
    ownership_pct   DECIMAL(18, 8) NOT NULL,       -- parent's direct holding, 0 < x <= 100 (100 for top)
    method          VARCHAR NOT NULL               -- full | equity | none (lower-case)
);

CREATE TABLE account (
    account         VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    name_zh         VARCHAR NOT NULL DEFAULT '',
    type            VARCHAR NOT NULL,              -- asset | liability | equity | revenue | expense
    parent          VARCHAR NOT NULL DEFAULT '',   -- statement hierarchy
    rate            VARCHAR NOT NULL,              -- closing | average | historical (default applied)
    ic_plug         VARCHAR NOT NULL DEFAULT '',   -- non-empty: intercompany account, eliminated against this
    role            VARCHAR NOT NULL DEFAULT '',   -- '' | share_capital | investment | ic_difference
    revalue         BOOLEAN NOT NULL DEFAULT false,
    is_summary      BOOLEAN NOT NULL DEFAULT false, -- has children: nothing posts to it
    sort_key        INTEGER NOT NULL DEFAULT 0     -- depth-first order of the hierarchy, for statements
);

CREATE TABLE business_unit (
    business_unit   VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    name_zh         VARCHAR NOT NULL DEFAULT '',
    parent          VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE profit_center (
    profit_center   VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    name_zh         VARCHAR NOT NULL DEFAULT '',
    business_unit   VARCHAR NOT NULL
);

CREATE TABLE cost_center (
    cost_center     VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    name_zh         VARCHAR NOT NULL DEFAULT '',
    entity          VARCHAR NOT NULL,
    department      VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT ''    -- '' = shared service, reached through allocations
);

-- Units of group currency for one unit of currency. The group currency is
-- stored with rate 1 for every period that has any rate.
CREATE TABLE fx_rate (
    period          VARCHAR NOT NULL,
    currency        VARCHAR NOT NULL,
    closing         DECIMAL(20, 10),               -- NULL when the file leaves it empty
    average         DECIMAL(20, 10),
    PRIMARY KEY (period, currency)
);

-- Exact cross rates r_a / r_b rounded half away from zero to 18 places
-- (SPEC section 1), computed in Python with Decimal because DuckDB's
-- DECIMAL / DECIMAL is a DOUBLE. One row per period, rate kind and currency
-- pair in use; see closekit/fx.py.
CREATE TABLE fx_cross (
    period          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,              -- average | closing
    from_currency   VARCHAR NOT NULL,              -- document currency
    to_currency     VARCHAR NOT NULL,              -- functional currency
    ratio           DECIMAL(38, 18) NOT NULL,
    PRIMARY KEY (period, kind, from_currency, to_currency)
);

CREATE TABLE posting_rule (
    module          VARCHAR NOT NULL,              -- sales | purchasing | inventory | expenses (lower-case)
    kind            VARCHAR NOT NULL,
    intercompany    VARCHAR NOT NULL,              -- yes | no | any
    side            VARCHAR NOT NULL,              -- debit | credit
    account         VARCHAR NOT NULL,
    amount          VARCHAR NOT NULL,              -- net | tax | gross | value
    seq             INTEGER NOT NULL               -- row order in the file: line order of the entry
);

CREATE TABLE allocation (
    cycle           VARCHAR NOT NULL,
    sender          VARCHAR NOT NULL,              -- cost center
    receiver        VARCHAR NOT NULL,              -- profit center
    basis           VARCHAR NOT NULL,              -- fixed | revenue
    share           DECIMAL(20, 10),               -- NULL for basis revenue
    seq             INTEGER NOT NULL
);

-- The master files as last loaded, for the manifest and for period locks.
CREATE TABLE master_file (
    path            VARCHAR PRIMARY KEY,           -- workspace-relative
    sha256          VARCHAR NOT NULL,
    rows            INTEGER NOT NULL
);
