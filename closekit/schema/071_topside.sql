-- Top-side (node) journals (SPEC 18.2): the accepted rows of the period's
-- ledgers/PERIOD/topside*.csv files, in group currency, with their lineage.
-- Rejected rows go to `reject` and every file to `load_file` (module
-- 'topside'), as for the other period files. Consolidation applies a row at
-- its node and every node above it (closekit/consolidation/topside.py).
CREATE TABLE topside_row (
    period          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,              -- lineage: workspace-relative file
    sha256          VARCHAR NOT NULL,
    row_no          BIGINT NOT NULL,               -- as a person counts it in the file
    doc_id          VARCHAR NOT NULL,
    line            VARCHAR NOT NULL,
    date            DATE NOT NULL,                 -- the row's date, else the period's last day
    node            VARCHAR NOT NULL,              -- the consolidation node it is booked at
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    debit           DECIMAL(18, 2) NOT NULL,
    credit          DECIMAL(18, 2) NOT NULL,
    amount          DECIMAL(18, 2) NOT NULL,       -- debit - credit, group currency
    amount_fc       DECIMAL(18, 2),                -- SPEC 15.1: an impairment in the subsidiary's currency
    flow            VARCHAR NOT NULL DEFAULT 'movement',
    description     VARCHAR NOT NULL DEFAULT '',
    reason          VARCHAR NOT NULL,
    extra           VARCHAR                        -- JSON object of the columns closekit does not use
);
