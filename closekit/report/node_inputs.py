"""Fingerprints of what a consolidation node's outputs are rendered from.

A node's workbook ``nodes/NODE.xlsx`` and pages (``html/nodes/NODE.html``,
``NODE-statements.html``, ``NODE/*``) show its members' translated balances
and flows, its consolidation entries (eliminations, NCI, URP, acquisitions,
disposals, top-side journals) and the structure below it, in the light of
the rates, the master data and the report settings. Rather than list those
inputs one by one (and miss the next table a rule adds), the fingerprint
reads **every table of the database** but the few that no node output
reads (:data:`NOT_READ`, each with why), and keeps of each table the rows
that can reach the node:

- a table with a ``node`` column: the rows of the node and of every node
  below it (a top-side journal counts at its node and every node above it,
  SPEC 18.2);
- else a table with an ``entity`` column: the rows of the entities of the
  node's subtree (:func:`subtrees`: below it in ``entity``, in the dated
  ``structure`` and in ``ownership``, and its members in any period);
- else the whole table (rates, cross rates, URP margins, accounts, layout).

Rows of later periods are left out (a report of a period reads nothing
after it); of a timestamp column only whether it is set is kept (a step's
time changes at every run, but whether an earlier period is consolidated
decides a comparative column). Each table's rows are hashed as the entity
fingerprints hash lines (:mod:`closekit.report.reuse`): DuckDB's 64-bit
``hash`` of every column, summed as a 128-bit integer, with the count.

Beside the tables, a node's fingerprint takes the fingerprints of the
entities of its subtree (their journal lines, source rows and balance keys,
which the node's pages link to), the shared inputs (settings, period
folders, master files, DRAFT, versions) and a digest of all of closekit's
code (node outputs call the consolidation and statements packages while
rendering). The workbook also shows the period's checks as the node shows
them (:mod:`closekit.report.node_checks`: every check's status, the findings
about its subtree): those are in the workbook's fingerprint, not in the
pages'. The group's details (its profit, row counts), which change with
almost any late file, are in neither.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import duckdb

from closekit.report import queries
from closekit.report.html_site import templates_dir
from closekit.report.node_checks import check_findings, subtree_checks

# Tables no node output reads, and why leaving them out is safe.
NOT_READ: dict[str, str] = {
    "journal": "members' lines: in their entity fingerprints",
    "source_row": "members' source rows: in their entity fingerprints",
    "load_file": "lineage of every file: on the entity and file pages, not a node's",
    "load_input": "the load's own cache key",
    "reject": "rejected rows: on the file pages and rejects.csv",
    "audit_log": "loads, reports, locks: on the index page",
    "schema_migration": "the database's version: closekit's code is in the digest",
    "management_line": "the management view: business_units.xlsx and html/management",
    "allocation_posting": "the management view",
    "management_warning": "the management view",
    "check_result": "the checks: in the workbook's, as the node shows them (node_checks)",
    "check_finding": "the checks' findings: in the workbook's, those about the subtree",
}
# The report's own mark: set by the very report whose fingerprints the next
# one compares with.
REPORT_MARK = ("period_status", "reported_at")


class NodePrints(NamedTuple):
    """A node's fingerprints: of its pages, and of its workbook."""

    pages: str
    workbook: str


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over all of closekit's source and the site's templates."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(package.rglob("*.py"))
    files += sorted(p for p in templates_dir().iterdir() if p.suffix in (".html", ".css"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def subtrees(
    con: duckdb.DuckDBPyConnection, period: str, nodes: Iterable[str]
) -> dict[str, set[str]]:
    """node -> the node and every entity that is or was below it: in the
    entity master, in the dated structure or ownership rows through the
    period, or among its members in any period through it."""
    edges = con.execute(
        """
        SELECT entity, parent FROM entity WHERE coalesce(parent, '') <> ''
        UNION SELECT entity, parent FROM structure WHERE period <= $p AND coalesce(parent, '') <> ''
        UNION SELECT entity, parent FROM ownership WHERE coalesce(parent, '') <> ''
        UNION SELECT entity, node FROM node_member WHERE period <= $p AND entity <> node
        """,
        {"p": period},
    ).fetchall()
    children: dict[str, set[str]] = {}
    for entity, parent in edges:
        children.setdefault(str(parent), set()).add(str(entity))
    out: dict[str, set[str]] = {}
    for node in nodes:
        seen, stack = {node}, [node]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        out[node] = seen
    return out


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every base table of the database with its (column, type), in order."""
    rows = con.execute(
        """
        SELECT c.table_name, c.column_name, c.data_type
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
        WHERE t.table_type = 'BASE TABLE' AND c.table_catalog = current_database()
          AND c.table_schema = current_schema()
        ORDER BY c.table_name, c.ordinal_position
        """
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(str(table), []).append((str(column), str(kind)))
    return tables


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_hashes(
    con: duckdb.DuckDBPyConnection, period: str
) -> dict[str, tuple[str, dict[str, str]]]:
    """table -> (how it is keyed: 'node', 'entity' or '' for the whole table,
    key -> count and hash of its rows through ``period``)."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for table, columns in _tables(con).items():
        if table in NOT_READ:
            continue
        names = {c for c, _ in columns}
        key = "node" if "node" in names else "entity" if "entity" in names else ""
        periodic = ("period", "VARCHAR") in columns
        where = "WHERE period <= $p" if periodic else ""
        hashed = ", ".join(
            f"{_quoted(c)} IS NOT NULL" if kind.startswith("TIMESTAMP") else _quoted(c)
            for c, kind in columns
            if (table, c) != REPORT_MARK
        )
        keyed = _quoted(key) if key else "''"
        rows = con.execute(
            f"SELECT {keyed}, count(*), "
            f"sum(hash({hashed})::HUGEINT) FROM {_quoted(table)} {where} GROUP BY ALL",
            {"p": period} if where else {},
        ).fetchall()
        out[table] = (key, {str(k): f"{n}:{h}" for k, n, h in rows})
    return out


def node_fingerprints(
    con: duckdb.DuckDBPyConnection,
    period: str,
    nodes: Iterable[str],
    entity_prints: Mapping[str, str],
    shared: bytes,
) -> dict[str, NodePrints]:
    """node -> fingerprints of its pages and of its workbook."""
    tables = table_hashes(con, period)
    below = subtrees(con, period, nodes)
    out: dict[str, NodePrints] = {}
    checks = tuple(queries.checks(con, period))
    findings = check_findings(con, period)
    for node, entities in below.items():
        parts = [f"node {node}", "code " + code_digest()]
        parts += [f"entity {e} {entity_prints.get(e, '')}" for e in sorted(entities)]
        for table, (key, rows) in sorted(tables.items()):
            keys = sorted(rows) if not key else sorted(entities & rows.keys())
            parts += [f"{table} {k} {rows[k]}" for k in keys]
        pages = hashlib.sha256(shared + "\n".join(parts).encode()).hexdigest()
        shown = subtree_checks(checks, findings, entities)
        workbook = hashlib.sha256(f"{pages}\n{shown!r}".encode()).hexdigest()
        out[node] = NodePrints(pages, workbook)
    return out
