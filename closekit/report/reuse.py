"""Re-using a legal entity's reports from the previous ``out/PERIOD``.

A late file of one entity changes that entity's books, the nodes above it
and the group; every other entity's own outputs come out byte for byte as
before. Each entity's outputs are therefore keyed by a *fingerprint* of
everything they are rendered from:

- the entity's journal lines through the period (every column);
- the files those lines come from: their source rows (shown beside the
  lines) and whether each is a current input (which decides a line's link);
- the entity's translated balances of the period (the balance keys);
- master data (the SHA-256 of every master file), the report settings, the
  period folders and which of them are posted, the DRAFT flag;
- the closekit and DuckDB versions and a digest of the rendering code (the
  report package, its templates, ``ledger.py``, ``periods.py``,
  ``workspace.py``), so that a changed renderer never reuses an old page.

The fingerprints are recorded beside the pack, in ``out/.PERIOD.reuse.json``
with the SHA-256 of the ``manifest.json`` they belong to (not in the pack:
they are a cache key, not audit evidence, and they change with closekit's
source). On the next report of the period, an entity whose fingerprint is
unchanged gets its workbook ``entities/E.xlsx`` and its pages
``html/entities/E.html`` and ``html/entities/E/*`` linked from the previous
folder instead of rendered, provided the manifest is the one recorded and
every one of those files still has the SHA-256 it lists (a file edited since
is rendered again). Such an entity's lines in ``journal.parquet`` are cut
from the previous file too (:mod:`closekit.report.exports`), at the spans
recorded with the fingerprints, when that file still has the SHA-256 its
manifest lists.

An intermediate consolidation node is keyed the same way, by two
fingerprints of every consolidation input that can reach it
(:mod:`closekit.report.node_inputs`): one for its pages
(``html/nodes/NODE.html``, ``NODE-statements.html``, ``NODE/*``), one for its
workbook ``nodes/NODE.xlsx``, which also shows the checks as the node sees
them (each status, the findings about its subtree:
:mod:`closekit.report.node_checks`). An input file's page
``html/files/F.html`` is keyed by what it shows (the file's load record and
rejected rows). The group (``group.xlsx``,
``html/nodes/GROUP*``), ``business_units.xlsx`` and the pages that show
every entity (index, intercompany, FX, management) always render again, as
does ``manifest.json``, which takes the reused files' SHA-256 from the check
that reused them.
Line hashes are DuckDB's 64-bit ``hash``, summed per entity as a 128-bit
integer: a changed line changes the sum except with a chance of about 2**-64.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from closekit import __version__
from closekit.consolidation import consolidation_nodes
from closekit.master import sha256_file, sha256_files
from closekit.periods import period_folders
from closekit.report import prior_packs
from closekit.report.exports import JOURNAL_FILE, PreviousJournal, Span
from closekit.report.html_site import templates_dir
from closekit.report.manifest import MANIFEST_FILE
from closekit.report.names import slug
from closekit.report.node_inputs import node_fingerprints
from closekit.workspace import Settings

# 2: the spans of the entities' lines in journal.parquet.
# 3: journal.parquet carries each line's source-row columns.
# 4: the intermediate nodes' pages and workbooks.
RECORD_VERSION = 4

_JOURNAL_COLUMNS = (
    "period, date, account, partner, profit_center, cost_center, module, kind, doc_id, line, "
    "currency, amount_doc, amount, amount_group, j.path, j.sha256, row_no, flow"
)


@dataclass(frozen=True)
class Inputs:
    """The fingerprints of a report run: per entity, and per intermediate
    node of its pages and of its workbook."""

    entities: dict[str, str]
    node_pages: dict[str, str] = field(default_factory=dict)
    node_workbooks: dict[str, str] = field(default_factory=dict)
    file_pages: dict[str, str] = field(default_factory=dict)  # input file -> its page's


@dataclass(frozen=True)
class Reuse:
    """Entities and nodes whose outputs are taken from ``previous`` (an ``out/PERIOD``)."""

    previous: Path
    entities: frozenset[str]
    files: tuple[str, ...]  # theirs, relative to ``previous``
    journal_spans: dict[str, Span] = field(default_factory=dict)  # unchanged entities' lines
    node_pages: frozenset[str] = frozenset()
    node_workbooks: frozenset[str] = frozenset()
    file_pages: frozenset[str] = frozenset()  # input files whose page is reused
    digests: dict[str, str] = field(default_factory=dict)  # file -> SHA-256, checked

    @property
    def journal(self) -> PreviousJournal | None:
        """The previous journal.parquet to cut unchanged entities' lines from."""
        if not self.journal_spans:
            return None
        return PreviousJournal(self.previous / JOURNAL_FILE, self.journal_spans)

    def link(self, out_dir: Path) -> None:
        """Every reused file into ``out_dir`` (a hard link when it can: the
        previous folder is deleted once the new one is in place)."""
        for relative in self.files:
            source, target = self.previous / relative, out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:  # another file system, or no hard links: copy
                shutil.copyfile(source, target)


NO_REUSE = Reuse(Path(), frozenset(), ())


# The code entity outputs are rendered by: the report package and its
# templates, and the ledger queries and period arithmetic it calls. (Loading
# and posting code reaches the outputs only through the journal, which is
# fingerprinted as data.)
_RENDERING_MODULES = ("ledger.py", "periods.py", "workspace.py", "io/parquet_concat.py")


@functools.lru_cache(maxsize=1)
def program_digest() -> str:
    """SHA-256 over the source of everything that renders an entity's outputs."""
    package = Path(__file__).resolve().parent.parent
    files = [package / name for name in _RENDERING_MODULES]
    files += sorted(Path(__file__).resolve().parent.glob("*.py"))
    files += sorted(p for p in templates_dir().iterdir() if p.suffix in (".html", ".css"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _shared_inputs(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, draft: bool
) -> bytes:
    """What every entity's outputs depend on beside the entity's own rows."""
    folders = [f for f in period_folders(settings.ledgers_dir) if f <= period]
    posted = con.execute(
        "SELECT period, posted_at IS NOT NULL, consolidated_at IS NOT NULL FROM period_status "
        "WHERE period <= ? ORDER BY period",
        [period],
    ).fetchall()
    masters = con.execute("SELECT path, sha256 FROM master_file ORDER BY path").fetchall()
    shared = {
        "closekit": __version__,
        "duckdb": duckdb.__version__,
        "program": program_digest(),
        "period": period,
        "draft": draft,
        # Settings without the workspace's own paths (same inputs, same pack).
        "settings": repr(
            (
                settings.group_name,
                settings.currency,
                settings.fiscal_year_start,
                settings.accounts,
                settings.ic_tolerance,
                settings.language,
            )
        ),
        "folders": folders,
        "posted": [[p, bool(s), bool(c)] for p, s, c in posted],  # and consolidated
        "master_files": [[p, h] for p, h in masters],
        # The packs the comparative figures link to (report/prior_packs.py).
        "comparative_packs": prior_packs.fingerprint(settings, period),
    }
    return json.dumps(shared, sort_keys=True).encode("utf-8")


def fingerprints(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, draft: bool
) -> dict[str, str]:
    """entity -> SHA-256 of everything its own outputs are rendered from."""
    rows = con.execute(
        f"""
        WITH lines AS (
            SELECT entity, count(*) AS n, sum(hash({_JOURNAL_COLUMNS})::HUGEINT) AS h
            FROM journal j
            WHERE j.period <= $period
            GROUP BY entity
        ),
        linked AS (  -- files an entity-account page links to
            SELECT DISTINCT path FROM load_file WHERE period <= $period AND current
        ),
        files AS (  -- the source rows a page shows beside its lines, per file
            SELECT period, path, count(*) AS n,
                   sum(hash(row_no, account, counterparty, item, quantity, description,
                            net_amount, tax_amount, value, debit, credit, amount, amount_group,
                            amount_doc, extra, ic_ref, flow)::HUGEINT) AS h
            FROM source_row WHERE period <= $period
            GROUP BY period, path
        ),
        sources AS (  -- per file an entity's lines come from: its rows, and whether linked
            SELECT u.entity, count(*) AS n,
                   sum(hash(u.period, u.path, f.n, f.h, l.path IS NOT NULL)::HUGEINT) AS h
            FROM (SELECT DISTINCT entity, period, path FROM journal
                  WHERE period <= $period AND path <> '') u
            LEFT JOIN files f USING (period, path)
            LEFT JOIN linked l ON l.path = u.path
            GROUP BY u.entity
        ),
        keys AS (
            SELECT entity, count(*) AS n,
                   sum(hash(account, partner, profit_center, cost_center, amount, amount_group,
                            rate_kind)::HUGEINT) AS h
            FROM translated_balance t WHERE period = $period
            GROUP BY entity
        )
        SELECT e.entity, coalesce(l.n, 0), coalesce(l.h, 0), coalesce(k.n, 0), coalesce(k.h, 0),
               coalesce(s.n, 0), coalesce(s.h, 0)
        FROM entity e LEFT JOIN lines l USING (entity) LEFT JOIN keys k USING (entity)
             LEFT JOIN sources s USING (entity)
        ORDER BY e.entity
        """,
        {"period": period},
    ).fetchall()
    shared = _shared_inputs(settings, con, period, draft)
    return {
        str(row[0]): hashlib.sha256(shared + "\0".join(map(str, row)).encode()).hexdigest()
        for row in rows
    }


def inputs(settings: Settings, con: duckdb.DuckDBPyConnection, period: str, draft: bool) -> Inputs:
    """The fingerprints of every entity and of every intermediate node (the
    group, first of the nodes, always renders again)."""
    entities = fingerprints(settings, con, period, draft)
    nodes = consolidation_nodes(con, period)[1:]
    shared = _shared_inputs(settings, con, period, draft)
    prints = node_fingerprints(con, period, nodes, entities, shared)
    return Inputs(
        entities,
        {node: p.pages for node, p in prints.items()},
        {node: p.workbook for node, p in prints.items()},
        _file_pages(con, period, shared),
    )


def _file_pages(con: duckdb.DuckDBPyConnection, period: str, shared: bytes) -> dict[str, str]:
    """input file -> SHA-256 of what its page ``html/files/F.html`` shows: the
    file's load record (module, SHA-256, counts) and its rejected rows."""
    rows = con.execute(
        """
        SELECT f.path, f.period, f.module, f.sha256, f.read, f.accepted, f.rejected,
               count(r.path), sum(hash(r.row_no, r.column_name, r.message)::HUGEINT)
        FROM load_file f LEFT JOIN reject r ON r.path = f.path AND r.period <= $p
        WHERE f.period <= $p AND f.current
        GROUP BY ALL
        """,
        {"p": period},
    ).fetchall()
    return {
        str(row[0]): hashlib.sha256(shared + "\0".join(map(str, row)).encode()).hexdigest()
        for row in rows
    }


def entity_files(entity: str, outputs: list[str]) -> list[str]:
    """The files of ``outputs`` that are the entity's own."""
    workbook = f"entities/{slug(entity)}.xlsx"
    page = f"html/entities/{slug(entity)}.html"
    folder = f"html/entities/{slug(entity)}/"
    return [name for name in outputs if name in (workbook, page) or name.startswith(folder)]


def node_page_files(node: str, outputs: list[str]) -> list[str]:
    """The files of ``outputs`` that are the node's pages."""
    pages = (f"html/nodes/{slug(node)}.html", f"html/nodes/{slug(node)}-statements.html")
    folder = f"html/nodes/{slug(node)}/"
    return [name for name in outputs if name in pages or name.startswith(folder)]


def node_workbook_files(node: str, outputs: list[str]) -> list[str]:
    """The node's workbook, when ``outputs`` has it."""
    return [name for name in outputs if name == f"nodes/{slug(node)}.xlsx"]


def file_page_files(path: str, outputs: list[str]) -> list[str]:
    """The page of the input file ``path``, when ``outputs`` has it."""
    return [name for name in outputs if name == f"html/files/{slug(path)}.html"]


def record_path(previous: Path) -> Path:
    """Where the fingerprints of the pack ``out/PERIOD`` are kept: ``out/.PERIOD.reuse.json``."""
    return previous.with_name(f".{previous.name}.reuse.json")


def record(pack: Path, current: Inputs, journal_spans: dict[str, Span], partial: Path) -> Path:
    """Keep the fingerprints of the pack just written (after it is in place),
    with where each entity's lines lie in its journal.parquet; ``partial`` is
    the temporary file that replaces the record."""
    target = record_path(pack)
    data = {
        "version": RECORD_VERSION,
        "manifest_sha256": sha256_file(pack / MANIFEST_FILE),
        "entity_inputs": dict(sorted(current.entities.items())),
        "node_pages": dict(sorted(current.node_pages.items())),
        "node_workbooks": dict(sorted(current.node_workbooks.items())),
        "file_pages": dict(sorted(current.file_pages.items())),
        "journal_spans": {e: list(span) for e, span in sorted(journal_spans.items())},
    }
    partial.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(target)
    return target


def plan(previous: Path, current: Inputs) -> Reuse:
    """The entities and nodes of ``current`` whose outputs ``previous`` holds unchanged."""
    try:
        kept = json.loads(record_path(previous).read_text(encoding="utf-8"))
        if kept["version"] != RECORD_VERSION:
            return NO_REUSE
        if sha256_file(previous / MANIFEST_FILE) != kept["manifest_sha256"]:
            return NO_REUSE  # the folder is not the pack these fingerprints describe
        before = Inputs(
            dict(kept["entity_inputs"]),
            dict(kept["node_pages"]),
            dict(kept["node_workbooks"]),
            dict(kept["file_pages"]),
        )
        spans: dict[str, Span] = {
            str(e): (int(a), int(b), int(c), int(d))
            for e, (a, b, c, d) in kept["journal_spans"].items()
        }
        manifest = json.loads((previous / MANIFEST_FILE).read_text(encoding="utf-8"))
        hashes = {str(o["path"]): str(o["sha256"]) for o in manifest["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):  # no usable previous pack
        return NO_REUSE
    names = sorted(hashes)
    kinds = {
        "entities": (current.entities, before.entities, entity_files),
        "node_pages": (current.node_pages, before.node_pages, node_page_files),
        "node_workbooks": (current.node_workbooks, before.node_workbooks, node_workbook_files),
        "file_pages": (current.file_pages, before.file_pages, file_page_files),
    }
    # Same fingerprint: a candidate, if every one of its files is intact.
    candidates: list[tuple[str, str, list[str]]] = []
    for kind, (now, then, files) in kinds.items():
        for code, fingerprint in sorted(now.items()):
            found = files(code, names) if then.get(code) == fingerprint else []
            if found:
                candidates.append((kind, code, found))
    wanted = sorted({n for *_, found in candidates for n in found if (previous / n).is_file()})
    actual = dict(zip(wanted, sha256_files(previous / n for n in wanted), strict=True))
    reused: dict[str, set[str]] = {kind: set() for kind in kinds}
    digests: dict[str, str] = {}
    for kind, code, found in candidates:
        if all(actual.get(name) == hashes[name] for name in found):
            reused[kind].add(code)
            digests.update((name, hashes[name]) for name in found)
    same = {e for e, print_ in current.entities.items() if before.entities.get(e) == print_}
    journal = previous / JOURNAL_FILE
    intact = journal.is_file() and sha256_file(journal) == hashes.get(JOURNAL_FILE)
    journal_spans = {e: span for e, span in spans.items() if e in same} if intact else {}
    return Reuse(
        previous,
        frozenset(reused["entities"]),
        tuple(sorted(digests)),
        journal_spans,
        frozenset(reused["node_pages"]),
        frozenset(reused["node_workbooks"]),
        frozenset(reused["file_pages"]),
        digests,
    )
