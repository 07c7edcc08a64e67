"""The ``report`` step: every output of ``out/PERIOD`` (SPEC section 10).

:func:`write_reports` writes the Excel workbooks, the HTML audit site,
``journal.parquet``, ``rejects.csv`` (when a row was rejected) and, last,
``manifest.json``, whose hashes cover everything else. Reports read finished
tables; they never recompute accounting.

The folder is built beside the old one and swapped in at the end, so a
report that fails half way leaves the previous ``out/PERIOD`` whole, and a
new report never keeps a stale file of an older one (which ``verify`` would
name as extra). What a killed report leaves beside the pack is named for what
it is and removed at the start of the next report (:mod:`closekit.report.scratch`).
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from closekit import audit_log, snapshot, status
from closekit.report import exports, html, manifest, read_ahead, reuse, scratch
from closekit.report.sources import LedgerBalances
from closekit.workspace import Settings


@dataclass(frozen=True)
class ReportSummary:
    """What one report run wrote.

    out_dir: ``out/PERIOD``.
    draft: a check failed, so every report says DRAFT.
    paths: every file written, sorted, manifest.json included.
    reused: the entities whose own outputs were taken unchanged from the
        previous ``out/PERIOD`` (:mod:`closekit.report.reuse`).
    reused_node_pages / reused_node_workbooks: the intermediate nodes whose
        pages / workbook were taken unchanged from it.
    reused_file_pages: the input files whose page was taken unchanged from it.
    """

    period: str
    out_dir: Path
    draft: bool
    paths: tuple[Path, ...]
    reused: tuple[str, ...] = ()
    reused_node_pages: tuple[str, ...] = ()
    reused_node_workbooks: tuple[str, ...] = ()
    reused_file_pages: tuple[str, ...] = ()


def is_draft(con: duckdb.DuckDBPyConnection, period: str) -> bool:
    """DRAFT when any recorded check failed (a rejected row fails rows_accounted)."""
    row = con.execute(
        "SELECT count(*) FROM check_result WHERE period = ? AND status = 'fail'", [period]
    ).fetchone()
    return bool(row and row[0])


def write_reports(settings: Settings, con: duckdb.DuckDBPyConnection, period: str) -> ReportSummary:
    """Write ``out/PERIOD`` of a checked period and mark it reported. A
    locked period is reported on the master data it was locked with (SPEC
    section 5), whatever happened to the master files since."""
    status.require_step(con, period, "checked")
    with snapshot.locked_master(con, period):
        return _write_reports(settings, con, period)


def _write_reports(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str
) -> ReportSummary:
    from closekit.report.excel import write_workbooks

    draft = is_draft(con, period)

    final = settings.output_dir / period
    scratch.clean_leftovers(settings.output_dir)  # of killed runs
    staging = scratch.fresh_folder(settings.output_dir, period, scratch.NEW_PACK)
    try:
        # An entity or intermediate node whose inputs are unchanged since the
        # last report of the period keeps its own outputs (re-close after
        # another entity's late file): linked from the previous folder, not
        # rendered.
        inputs = reuse.inputs(settings, con, period, draft)
        reused = reuse.plan(final, inputs)
        reused.link(staging)
        # journal.parquet is DuckDB's work alone (a sort and a COPY, which
        # release the GIL) and grows with the journal, while the workbooks and
        # the site are Python-bound: the export runs on its own cursor beside
        # them (10 s -> 3 s at 2.5 million journal lines on 2 cores). Its bytes
        # do not depend on timing: the COPY orders every column. It reads the
        # journal only: a cursor does not see this connection's TEMP master
        # tables of a locked period (closekit.snapshot).
        with ThreadPoolExecutor(max_workers=1) as background:
            parts = scratch.path(settings.output_dir, period, scratch.JOURNAL_PARTS)
            journal = background.submit(
                exports.write_journal, con.cursor(), period, staging, parts, reused.journal
            )
            # The workbooks and the site show the same entity statements: one
            # set of ledger scans serves both.
            ledger = LedgerBalances(con, settings)
            skip = reused.entities
            # a node whose workbook and pages are both reused needs no query ahead
            unread = reused.node_workbooks & reused.node_pages
            with read_ahead.reading_ahead(ledger, con, settings, period, skip, unread):
                write_workbooks(
                    settings, con, period, staging, draft, ledger,
                    skip=skip, skip_nodes=reused.node_workbooks,
                )  # fmt: skip
                html.write_site(
                    settings, con, period, staging, draft, ledger,
                    skip=skip, skip_nodes=reused.node_pages, skip_files=reused.file_pages,
                )  # fmt: skip
            exports.write_rejects(con, period, staging)
            journal_spans = journal.result()
        built = manifest.build_manifest(settings, con, period, staging, draft, reused.digests)
        manifest.write_manifest(built, staging)
        sealed = manifest.seal(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    reuse.record_path(final).unlink(missing_ok=True)  # the old pack's, about to go
    _swap(staging, final, scratch.path(settings.output_dir, period, scratch.OLD_PACK))
    reuse.record(
        final,
        inputs,
        journal_spans,
        scratch.path(settings.output_dir, period, scratch.REUSE_RECORD),
    )
    status.mark(con, period, "reported")
    written = [final / str(output["path"]) for output in built["outputs"]]  # sorted
    audit_log.record_report(con, period, sealed, len(written) + 1, draft)
    return ReportSummary(
        period,
        final,
        draft,
        (*written, final / manifest.MANIFEST_FILE),
        tuple(sorted(reused.entities)),
        tuple(sorted(reused.node_pages)),
        tuple(sorted(reused.node_workbooks)),
        tuple(sorted(reused.file_pages)),
    )


def _swap(staging: Path, final: Path, old: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames (``old`` holds the
    previous pack in between)."""
    scratch.remove(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    scratch.remove(old)


__all__ = ["ReportSummary", "is_draft", "write_reports"]
