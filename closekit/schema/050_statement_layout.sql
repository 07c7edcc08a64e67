-- How accounts present on the statements beyond what their type says
-- (master/statement_layout.csv, optional; closekit/master/layout.py):
-- which side of an income-statement account shows positive, and the
-- running subtotals of the income statement (gross profit, operating
-- profit, ...), each printed after the subtree of the account that names it.
CREATE TABLE statement_layout (
    account         VARCHAR PRIMARY KEY,
    positive        VARCHAR NOT NULL DEFAULT '',   -- credit | debit | '' (inherited, else by type)
    subtotal        VARCHAR NOT NULL DEFAULT '',   -- running P&L subtotal printed after the account's subtree
    subtotal_zh     VARCHAR NOT NULL DEFAULT ''
);
