# ruff: noqa: E501  (the tables below read as rows; wrapping them would hide the figures)
"""A small finished close written straight into the tables, for report tests.

Group P (CNY, top) owns 80% of S (USD). Period 2026-01, the first period
and the fiscal-year start, so month = YTD. Rates: USD closing 7.1, average 7.0.

P (functional CNY):  sales.csv row 2  Dr 1000 cash 1,000.00 / Cr 4000 revenue
                     sales.csv row 3  Dr 1200 IC receivable from S 200.00 / Cr 4000
S (functional USD):  expenses.csv row 2  Dr 6000 expense 28.00 / Cr 2200 IC payable to P
                     expenses.csv row 3  rejected: net_amount "x" is not a number

Translated S: 6000  28.00 x 7.0 (average) =  196.00
              2200 -28.00 x 7.1 (closing) = -198.80
              CTA 3300 = -(196.00 - 198.80) =    2.80   (the plug making S's TB zero)
Node P eliminations: 1200 -200.00 / 1900 +200.00 (P with S);
                     2200 +198.80 / 1900 -198.80 (S with P)
                     remainder on IC difference 1900 = 1.20, within tolerance 10.00
NCI 20%: result  (1 - 0.8) x (-196.00) = -39.20 -> Cr 8900 39.20, Dr 3900 39.20
         reserves 0.2 x 2.80 (CTA)     =   0.56 -> Cr 3300 0.56, Dr 3900 0.56
Consolidated profit = 1,200.00 - 196.00 = 1,004.00; attributable to NCI -39.20.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from closekit import db
from closekit.post import write_totals
from closekit.statements.flows import write_flows
from closekit.workspace import Settings, load_settings
from tests.inline import DEFAULT_TOML, write_workspace

PERIOD = "2026-01"

SCRIPT_TEXT = '<script>alert("x")</script>'

_TABLES = """
INSERT INTO entity VALUES
  ('P', 'Parent Co', '母公司', 'CNY', '', 100, 'full'),
  ('S', 'Sub <Inc> & Co', '', 'USD', 'P', 80, 'full');
INSERT INTO account (account, name, type, parent, rate, ic_plug, role, is_summary, sort_key) VALUES
  ('10',   'Current assets',     'asset',     '',   'closing',    '',     '', true,  1),
  ('1000', 'Cash',               'asset',     '10', 'closing',    '',     '', false, 2),
  ('1200', 'IC receivable',      'asset',     '10', 'closing',    '1900', '', false, 3),
  ('1900', 'IC difference',      'asset',     '',   'closing',    '', 'ic_difference', false, 4),
  ('2200', 'IC payable',         'liability', '',   'closing',    '1900', '', false, 5),
  ('3200', 'Retained earnings',  'equity',    '',   'historical', '',     '', false, 6),
  ('3300', 'CTA',                'equity',    '',   'historical', '',     '', false, 7),
  ('3900', 'NCI',                'equity',    '',   'historical', '',     '', false, 8),
  ('4000', 'Revenue',            'revenue',   '',   'average',    '',     '', false, 9),
  ('6000', 'Expense',            'expense',   '',   'average',    '',     '', false, 10),
  ('8900', 'NCI profit',         'expense',   '',   'average',    '',     '', false, 11);
INSERT INTO business_unit VALUES ('BU1', 'Devices', '', '');
INSERT INTO profit_center VALUES ('PC1', 'Laptops', '', 'BU1');
INSERT INTO cost_center VALUES ('CC1', 'Finance US', '', 'S', 'Finance', 'PC1');
INSERT INTO fx_rate VALUES ('2026-01', 'CNY', 1, 1), ('2026-01', 'USD', 7.1, 7.0);
INSERT INTO master_file VALUES
  ('master/accounts.csv', 'aa', 11), ('master/entities.csv', 'ee', 2);

INSERT INTO load_file VALUES
  ('2026-01', 'ledgers/2026-01/expenses.csv', 'expenses', 'e1', 2, 1, 1, TIMESTAMP '2026-02-01 10:00', true),
  ('2026-01', 'ledgers/2026-01/sales.csv', 'sales', 's1', 2, 2, 0, TIMESTAMP '2026-02-01 10:00', true),
  ('2026-01', 'ledgers/2026-01/sales.csv', 'sales', 's0', 1, 1, 0, TIMESTAMP '2026-02-01 09:00', false);
INSERT INTO reject VALUES
  ('2026-01', 'ledgers/2026-01/expenses.csv', 3, 'net_amount', '"x" is not a number');
INSERT INTO source_row (period, module, path, sha256, row_no, doc_id, line, date, entity,
                        currency, kind, partner, profit_center, cost_center, counterparty,
                        description, net_amount, tax_amount, extra) VALUES
  ('2026-01', 'sales', 'ledgers/2026-01/sales.csv', 's1', 2, 'INV1', '1', DATE '2026-01-05',
   'P', 'CNY', 'goods', '', 'PC1', '', 'Acme', 'laptops', 1000, 0, '{}'),
  ('2026-01', 'sales', 'ledgers/2026-01/sales.csv', 's1', 3, 'INV2', '1', DATE '2026-01-06',
   'P', 'CNY', 'service', 'S', 'PC1', '', '', 'support', 200, 0, '{"memo": "<script>alert(\\"x\\")</script>"}'),
  ('2026-01', 'expenses', 'ledgers/2026-01/expenses.csv', 'e1', 2, 'EXP1', '1', DATE '2026-01-07',
   'S', 'USD', 'mgmt_fee', 'P', '', 'CC1', 'Parent Co', 'fee', 28, 0, '{}');
INSERT INTO journal VALUES
  ('2026-01', DATE '2026-01-05', 'P', '1000', '',  'PC1', '',    'sales', 'goods', 'INV1', '1', 'CNY', 1000, 1000, NULL, 'ledgers/2026-01/sales.csv', 's1', 2, 'movement'),
  ('2026-01', DATE '2026-01-05', 'P', '4000', '',  'PC1', '',    'sales', 'goods', 'INV1', '1', 'CNY', -1000, -1000, NULL, 'ledgers/2026-01/sales.csv', 's1', 2, 'movement'),
  ('2026-01', DATE '2026-01-06', 'P', '1200', 'S', 'PC1', '',    'sales', 'service', 'INV2', '1', 'CNY', 200, 200, NULL, 'ledgers/2026-01/sales.csv', 's1', 3, 'movement'),
  ('2026-01', DATE '2026-01-06', 'P', '4000', 'S', 'PC1', '',    'sales', 'service', 'INV2', '1', 'CNY', -200, -200, NULL, 'ledgers/2026-01/sales.csv', 's1', 3, 'movement'),
  ('2026-01', DATE '2026-01-07', 'S', '6000', 'P', '',    'CC1', 'expenses', 'mgmt_fee', 'EXP1', '1', 'USD', 28, 28, NULL, 'ledgers/2026-01/expenses.csv', 'e1', 2, 'movement'),
  ('2026-01', DATE '2026-01-07', 'S', '2200', 'P', '',    'CC1', 'expenses', 'mgmt_fee', 'EXP1', '1', 'USD', -28, -28, NULL, 'ledgers/2026-01/expenses.csv', 'e1', 2, 'movement');
INSERT INTO translated_balance VALUES
  ('2026-01', 'P', '1000', '',  'PC1', '',    1000, 1000, 'closing'),
  ('2026-01', 'P', '1200', 'S', 'PC1', '',    200, 200, 'closing'),
  ('2026-01', 'P', '4000', '',  'PC1', '',    -1000, -1000, 'average'),
  ('2026-01', 'P', '4000', 'S', 'PC1', '',    -200, -200, 'average'),
  ('2026-01', 'S', '6000', 'P', '',    'CC1', 28, 196.00, 'average'),
  ('2026-01', 'S', '2200', 'P', '',    'CC1', -28, -198.80, 'closing'),
  ('2026-01', 'S', '3300', '',  '',    '',    0, 2.80, 'cta');
INSERT INTO node_member (period, node, entity, depth, direct_parent, ownership, effective) VALUES
  ('2026-01', 'P', 'P', 0, '', 1, 1),
  ('2026-01', 'P', 'S', 1, 'P', 0.8, 0.8);
INSERT INTO consolidation_entry
  (period, node, step, entity, partner, account, profit_center, cost_center, amount_group, note)
  VALUES
  ('2026-01', 'P', 'ic_elimination', 'P', 'S', '1200', 'PC1', '', -200, ''),
  ('2026-01', 'P', 'ic_elimination', 'P', 'S', '1900', 'PC1', '', 200, ''),
  ('2026-01', 'P', 'ic_elimination', 'S', 'P', '2200', '', 'CC1', 198.80, ''),
  ('2026-01', 'P', 'ic_elimination', 'S', 'P', '1900', '', 'CC1', -198.80, ''),
  ('2026-01', 'P', 'nci_result', 'S', '', '8900', '', '', -39.20, '20% of S result'),
  ('2026-01', 'P', 'nci_result', 'S', '', '3900', '', '', 39.20, '20% of S result'),
  ('2026-01', 'P', 'nci_reserves', 'S', '', '3300', '', '', -0.56, '20% of S reserves'),
  ('2026-01', 'P', 'nci_reserves', 'S', '', '3900', '', '', 0.56, '20% of S reserves');
INSERT INTO management_line VALUES
  ('2026-01', 'ledger', 'P', '4000', '',  'PC1', '',    '', 'PC1', 'profit_center', -1000, -1000, 0),
  ('2026-01', 'ledger', 'P', '4000', 'S', 'PC1', '',    '', 'PC1', 'profit_center', -200, -200, 0),
  ('2026-01', 'ledger', 'S', '6000', 'P', '',    'CC1', '', 'PC1', 'profit_center', 196, 196, 0);
INSERT INTO period_status (period, loaded_at, posted_at, consolidated_at, managed_at, checked_at)
  VALUES ('2026-01', now(), now(), now(), now(), now());
"""

CHECKS = [
    ("rows_accounted", "pass", "all rows accounted for"),
    ("ic_matched", "pass", "1 pair within tolerance"),
]


def build(
    root: Path, *, failed: bool = False, language: str = "en"
) -> tuple[Settings, duckdb.DuckDBPyConnection]:
    """The workspace and an open connection holding the finished close above."""
    toml = DEFAULT_TOML + f'\n[output]\nlanguage = "{language}"\n'
    write_workspace(root, {"ledgers/2026-01/.keep": ""}, toml=toml)
    settings = load_settings(root)
    con = db.connect(settings)
    con.execute(_TABLES)
    write_totals(con)  # as posting does with the lines
    write_flows(settings, con, PERIOD)  # as consolidation does once its entries are in
    checks = [*CHECKS]
    if failed:
        checks[0] = ("rows_accounted", "fail", "ledgers/2026-01/expenses.csv: 1 row rejected")
    for seq, (check, state, detail) in enumerate(checks):
        con.execute(
            "INSERT INTO check_result VALUES (?, ?, ?, ?, ?)", [PERIOD, seq, check, state, detail]
        )
    return settings, con
