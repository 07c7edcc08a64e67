-- The general ledger (SPEC section 6) and the close's bookkeeping.

-- Every posted line, with lineage to its source row. Dimensions use '' for none.
CREATE TABLE journal (
    period          VARCHAR NOT NULL,
    date            DATE NOT NULL,
    entity          VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    module          VARCHAR NOT NULL,              -- source module, or revaluation
    kind            VARCHAR NOT NULL DEFAULT '',
    doc_id          VARCHAR NOT NULL,
    line            VARCHAR NOT NULL,
    currency        VARCHAR NOT NULL,              -- document currency
    amount_doc      DECIMAL(18, 2) NOT NULL,       -- signed, debit positive, document currency
    amount          DECIMAL(18, 2) NOT NULL,       -- signed, debit positive, functional currency
    amount_group    DECIMAL(18, 2),                -- fixed translated amount (opening, journals on historical accounts)
    path            VARCHAR NOT NULL DEFAULT '',   -- lineage: source file ('' for generated lines)
    sha256          VARCHAR NOT NULL DEFAULT '',
    row_no          BIGINT                         -- lineage: source row
);

-- Close progress per period. A step's timestamp is NULL until it ran;
-- stale = an earlier period was re-posted after this one was posted.
CREATE TABLE period_status (
    period          VARCHAR PRIMARY KEY,
    loaded_at       TIMESTAMP,
    posted_at       TIMESTAMP,
    consolidated_at TIMESTAMP,
    managed_at      TIMESTAMP,
    checked_at      TIMESTAMP,
    reported_at     TIMESTAMP,
    stale_reason    VARCHAR,
    locked_at       TIMESTAMP
);

-- SHA-256 of every master file when the period was locked.
CREATE TABLE lock_master_file (
    period          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL
);

-- Append-only: locks, reopens (with the reason), reloads.
CREATE TABLE audit_log (
    logged_at       TIMESTAMP NOT NULL,
    period          VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,
    detail          VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE check_result (
    period          VARCHAR NOT NULL,
    seq             INTEGER NOT NULL,
    check_id        VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,              -- pass | warn | fail
    detail          VARCHAR NOT NULL DEFAULT ''
);
