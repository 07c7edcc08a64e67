"""The rules of a top-side (node) journal row (SPEC 18.2), each small and named.

Top-side files are a handful of rows a group accountant writes by hand, so
their rules are Python functions over one row (:data:`ROW_RULES`) or over
all rows of the period (:data:`SET_RULES`), each yielding ``(column,
message)`` pairs; the loader turns them into problems ``path:row column:
message`` (closekit.load.topside). Amounts are in group currency; there is
no entity and no currency column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from closekit.validate.rules import AMOUNT_DIGITS, ISO_DATE, NUMBER, largest

REQUIRED_COLUMNS = ("doc_id", "line", "node", "account", "debit", "credit", "reason")
OPTIONAL_COLUMNS = (
    "partner",
    "profit_center",
    "cost_center",
    "description",
    "date",
    "flow",
    "amount_fc",
)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
# SPEC 19.1: the flows a journal row may name (default movement).
FLOWS = ("movement", "dividend", "capital", "oci", "acquisition")


@dataclass(frozen=True)
class TopsideRow:
    """One row of a top-side file as read: its origin and its text values
    (every column of :data:`COLUMNS`, '' when absent or empty)."""

    path: str
    row_no: int
    seq: int  # file-name order of the file in the period
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Context:
    """What the rules check a row against: master data and the structure of
    the period (``members``: every consolidation node and its members)."""

    period: str
    accounts: Mapping[str, tuple[str, bool]]  # account -> (type, is_summary)
    entities: frozenset[str]
    profit_centers: frozenset[str]
    cost_centers: Mapping[str, str]  # cost center -> its entity
    members: Mapping[str, frozenset[str]]


Found = Iterator[tuple[str, str]]  # (column, message)
RowRule = Callable[[TopsideRow, Context], Iterable[tuple[str, str]]]

_PLAIN = re.compile(NUMBER)
_MONEY = re.compile(rf"[+-]?(0*\d{{1,{AMOUNT_DIGITS}}}(\.\d{{0,2}})?|\.\d{{1,2}})")
_FEW_PLACES = re.compile(r"[+-]?\d*(\.\d{0,2})?")
_DATE = re.compile(ISO_DATE)


def money(text: str) -> Decimal:
    """A validated amount column as a Decimal (empty = 0)."""
    return Decimal(text) if text else Decimal(0)


def _money_problem(text: str) -> str | None:
    """SPEC 1: a plain decimal with at most 2 places and at most
    AMOUNT_DIGITS integer digits, as any amount of a row (validate.rules)."""
    if not text or _MONEY.fullmatch(text):
        return None
    if not _PLAIN.fullmatch(text):
        return f'"{text}" is not a number'
    if not _FEW_PLACES.fullmatch(text):
        return f'"{text}" has more than 2 decimal places'
    return f"amount is too large (max {largest(2, AMOUNT_DIGITS)})"


def row_date(row: TopsideRow) -> date | None:
    """The row's date, None when it is not a valid ISO date."""
    text = row["date"]
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def required(row: TopsideRow, ctx: Context) -> Found:
    for column in ("doc_id", "line", "node", "account", "reason"):
        if not row[column]:
            yield (
                column,
                "is required"
                + (": a top-side journal says why it was booked" if column == "reason" else ""),
            )


def amounts(row: TopsideRow, ctx: Context) -> Found:
    for column in ("debit", "credit", "amount_fc"):
        problem = _money_problem(row[column])
        if problem:
            yield column, problem


def in_period(row: TopsideRow, ctx: Context) -> Found:
    if not row["date"]:
        return
    booked = row_date(row)
    if booked is None:
        yield "date", f'"{row["date"]}" is not a date (YYYY-MM-DD)'
    elif booked.isoformat()[:7] != ctx.period:
        yield "date", f"{booked.isoformat()} is outside period {ctx.period}"


def at_a_node(row: TopsideRow, ctx: Context) -> Found:
    node = row["node"]
    if not node or node in ctx.members:
        return
    if node not in ctx.entities:
        yield "node", f'unknown node "{node}"'
    else:
        yield (
            "node",
            f'entity "{node}" is not a consolidation node in {ctx.period}: it has no '
            "subsidiary consolidated line by line (a top-side journal is booked at a node)",
        )


def account(row: TopsideRow, ctx: Context) -> Found:
    code = row["account"]
    if not code:
        return
    if code not in ctx.accounts:
        yield "account", f'unknown account "{code}"'
    elif ctx.accounts[code][1]:
        yield "account", f'account "{code}" is a summary account; nothing posts to it'


def partner(row: TopsideRow, ctx: Context) -> Found:
    code, node = row["partner"], row["node"]
    if not code:
        return
    if code not in ctx.entities:
        yield "partner", f'unknown entity "{code}"'
    elif node in ctx.members and code not in ctx.members[node]:
        yield "partner", f'partner "{code}" is not a member of node {node} in {ctx.period}'


def dimensions(row: TopsideRow, ctx: Context) -> Found:
    pc, cc, node = row["profit_center"], row["cost_center"], row["node"]
    if pc and pc not in ctx.profit_centers:
        yield "profit_center", f'unknown profit center "{pc}"'
    if cc and cc not in ctx.cost_centers:
        yield "cost_center", f'unknown cost center "{cc}"'
    elif cc and node in ctx.members and ctx.cost_centers[cc] not in ctx.members[node]:
        owner = ctx.cost_centers[cc]
        yield (
            "cost_center",
            f'cost center "{cc}" belongs to entity {owner}, '
            f"which is not a member of node {node} in {ctx.period}",
        )
    kind = ctx.accounts.get(row["account"], ("", False))[0]
    if kind in ("revenue", "expense") and not pc and not cc:
        yield (
            "profit_center",
            f"posting to {kind} account {row['account']} needs a profit center or a cost center",
        )


def flow(row: TopsideRow, ctx: Context) -> Found:
    value = row["flow"].lower()
    if value and value not in FLOWS:
        yield "flow", f'"{row["flow"]}" is not a flow ({", ".join(FLOWS)})'


ROW_RULES: tuple[RowRule, ...] = (
    required,
    amounts,
    in_period,
    at_a_node,
    account,
    partner,
    dimensions,
    flow,
)


# ---- rules over the period's rows --------------------------------------------

Problems = dict[tuple[str, int], list[tuple[str, str]]]  # (path, row) -> found
SetRule = Callable[[list[TopsideRow], Problems], Iterable[tuple[TopsideRow, str, str]]]


def _documents(rows: list[TopsideRow]) -> dict[str, list[TopsideRow]]:
    docs: dict[str, list[TopsideRow]] = {}
    for row in rows:
        if row["doc_id"]:
            docs.setdefault(row["doc_id"], []).append(row)
    return docs


def duplicate_line(rows: list[TopsideRow], _: Problems) -> Iterator[tuple[TopsideRow, str, str]]:
    """(doc_id, line) is unique in the period; the later one (file-name, then
    row order) is rejected."""
    first: dict[tuple[str, str], TopsideRow] = {}
    for row in sorted(rows, key=lambda r: (r.seq, r.row_no)):
        key = (row["doc_id"], row["line"])
        if not row["doc_id"]:
            continue
        if key in first:
            seen = first[key]
            yield (
                row,
                "line",
                f'duplicate: top-side document "{key[0]}" line "{key[1]}" is already on '
                f"{seen.path}:{seen.row_no}",
            )
        else:
            first[key] = row


def one_node(rows: list[TopsideRow], _: Problems) -> Iterator[tuple[TopsideRow, str, str]]:
    """SPEC 18.2: one node per document."""
    for doc_id, lines in _documents(rows).items():
        nodes = sorted({r["node"] for r in lines if r["node"]})
        if len(nodes) > 1:
            for row in lines:
                yield (
                    row,
                    "node",
                    f'top-side document "{doc_id}" names more than one node '
                    f"({', '.join(nodes)}); one node per document",
                )


def balanced(rows: list[TopsideRow], _: Problems) -> Iterator[tuple[TopsideRow, str, str]]:
    """Each document balances: debit - credit sums to zero."""
    for doc_id, lines in _documents(rows).items():
        if any(_money_problem(r["debit"]) or _money_problem(r["credit"]) for r in lines):
            continue  # the amounts themselves are wrong; said on their rows
        difference = sum((money(r["debit"]) - money(r["credit"]) for r in lines), Decimal(0))
        if difference:
            for row in lines:
                yield (
                    row,
                    "debit",
                    f'top-side document "{doc_id}" does not balance: debit - credit = {difference}',
                )


SET_RULES: tuple[SetRule, ...] = (duplicate_line, one_node, balanced)


def document_rejected(
    rows: list[TopsideRow], problems: Problems
) -> Iterator[tuple[TopsideRow, str, str]]:
    """A document with any rejected row is rejected whole (as journals are,
    SPEC 4), naming the first rejected row. Runs after every other rule."""
    for doc_id, lines in _documents(rows).items():
        bad = sorted(
            (r for r in lines if (r.path, r.row_no) in problems), key=lambda r: (r.seq, r.row_no)
        )
        if not bad:
            continue
        for row in lines:
            if (row.path, row.row_no) not in problems:
                yield (
                    row,
                    "doc_id",
                    f'document "{doc_id}" is rejected with {bad[0].path}:{bad[0].row_no}',
                )


def check(rows: list[TopsideRow], ctx: Context) -> Problems:
    """Every problem of every row, by (path, row), in rule order."""
    problems: Problems = {}
    for row in rows:
        for rule in ROW_RULES:
            for found in rule(row, ctx):
                problems.setdefault((row.path, row.row_no), []).append(found)
    for set_rule in (*SET_RULES, document_rejected):
        for row, column, message in list(set_rule(rows, problems)):
            problems.setdefault((row.path, row.row_no), []).append((column, message))
    return problems
