-- Loading (SPEC sections 4 and 5): every file version ever loaded, the
-- accepted rows of the current versions, and every rejected row with reasons.

-- Load history: one row per file version; current = the version whose rows
-- are in source_row now. A file no longer in the folder has no current row.
CREATE TABLE load_file (
    period          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,              -- workspace-relative, forward slashes
    module          VARCHAR NOT NULL,              -- sales | purchasing | inventory | expenses | journals | opening
    sha256          VARCHAR NOT NULL,
    read            BIGINT NOT NULL,
    accepted        BIGINT NOT NULL,
    rejected        BIGINT NOT NULL,
    loaded_at       TIMESTAMP NOT NULL,
    current         BOOLEAN NOT NULL
);

-- One row per reason: a row rejected for three reasons has three rows here.
CREATE TABLE reject (
    period          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    row_no          BIGINT,                        -- NULL/1 for file-level problems
    column_name     VARCHAR NOT NULL,
    message         VARCHAR NOT NULL
);

-- Accepted source rows of all modules, amounts in document currency
-- (opening: amount is functional, amount_doc document currency).
CREATE TABLE source_row (
    period          VARCHAR NOT NULL,
    module          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    row_no          BIGINT NOT NULL,               -- as a person counts it in the file
    doc_id          VARCHAR NOT NULL,
    line            VARCHAR NOT NULL,
    date            DATE NOT NULL,
    entity          VARCHAR NOT NULL,
    currency        VARCHAR NOT NULL,              -- document currency, upper-case
    kind            VARCHAR NOT NULL DEFAULT '',
    partner         VARCHAR NOT NULL DEFAULT '',
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    account         VARCHAR NOT NULL DEFAULT '',   -- journals and opening
    counterparty    VARCHAR NOT NULL DEFAULT '',   -- customer | supplier | payee
    item            VARCHAR NOT NULL DEFAULT '',   -- product | item
    quantity        DECIMAL(18, 6),
    description     VARCHAR NOT NULL DEFAULT '',
    net_amount      DECIMAL(18, 2),
    tax_amount      DECIMAL(18, 2),
    value           DECIMAL(18, 2),
    debit           DECIMAL(18, 2),
    credit          DECIMAL(18, 2),
    amount          DECIMAL(18, 2),
    amount_group    DECIMAL(18, 2),
    amount_doc      DECIMAL(18, 2),
    extra           VARCHAR                        -- JSON object of columns closekit does not use, kept for lineage
);
