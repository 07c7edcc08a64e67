"""The static audit site in ``out/PERIOD/html/`` (SPEC section 10).

Auditors open ``index.html`` offline: one local stylesheet, no script, no
font or CDN. Every statement figure links down, page by page:

    index -> node statement (+ worksheet) -> node x account (members, entries)
          -> entity x account (balance keys, the journal lines behind them)
          -> source file:row (the row's own columns) -> file page (hash, rejects)

This module writes the index, the statements and the intercompany and FX
pages; :mod:`html_drill` the pages below a statement line;
:mod:`html_management` the vertical view; :mod:`html_site` holds what every
page shares. Pages are written in a fixed order with no timestamp, so the
same close writes the same bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import duckdb

from closekit import audit_log
from closekit.consolidation import consolidation_nodes, key_figures
from closekit.report import html_drill, html_ic, html_management, labels
from closekit.report import queries as data
from closekit.report.chart import Account, account_tree
from closekit.report.entry_basis import node_entry_basis
from closekit.report.excel_intercompany import ic_note
from closekit.report.exports import reject_count
from closekit.report.html_complete import statements_href, write_statement_pages
from closekit.report.html_site import STYLESHEET, Site, templates_dir
from closekit.report.manifest import PLACEHOLDER
from closekit.report.names import slug
from closekit.report.node_statements import node_statements
from closekit.report.prior_packs import PriorPacks, figure_links
from closekit.report.scope import entities_with_books, entity_status, node_scope
from closekit.report.sources import LedgerBalances, entity_source, node_source
from closekit.report.statements import balance_sheet, income_statement
from closekit.report.worksheet import WorksheetLine, consolidation_worksheet
from closekit.workspace import Settings


def write_site(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    period: str,
    out_dir: Path,
    draft: bool,
    ledger: LedgerBalances | None = None,
    skip: frozenset[str] = frozenset(),
    skip_nodes: frozenset[str] = frozenset(),
    skip_files: frozenset[str] = frozenset(),
) -> list[Path]:
    """Write the whole site under ``out_dir/html`` and return the files written;
    ``ledger`` shares the entities' ledger balances with other reports; the
    pages of the entities in ``skip`` (``entities/E.html`` and
    ``entities/E/*``) and of the intermediate nodes in ``skip_nodes``
    (``nodes/N.html``, ``nodes/N-statements.html``, ``nodes/N/*``) and of
    the input files in ``skip_files`` (``files/F.html``) are not written
    (reused, see :mod:`closekit.report.reuse`)."""
    html_dir = out_dir / "html"
    site = Site(settings, period, html_dir, draft)
    packs = PriorPacks(settings.output_dir)  # the comparatives' periods' packs
    ledger = ledger or LedgerBalances(con, settings)
    html_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(templates_dir() / STYLESHEET, html_dir / STYLESHEET)
    site.written.append(html_dir / STYLESHEET)

    language = settings.language
    entities = {e.entity: e for e in data.entities(con)}
    accounts = {a.account: a for a in account_tree(con)}
    members = data.node_members(con, period)
    node_order = consolidation_nodes(con, period)  # the group first
    top = node_order[0] if node_order else ""
    rendered = [n for n in node_order if n == top or n not in skip_nodes]  # the group always
    keep = set(rendered)

    def entity_name(code: str) -> str:
        e = entities.get(code)
        return labels.name(language, e.name, e.name_zh) if e else code

    def account_name(code: str) -> str:
        a = accounts.get(code)
        return labels.name(language, a.name, a.name_zh) if a else code

    # Which drill pages exist, so that every link points at a written page.
    entity_pages = data.balance_key_accounts(con, period) | ledger.keys(period)
    member_rows = data.shared_member_balances(ledger, con, period)
    entry_rows = data.shared_node_entries(ledger, con, period)
    node_pages = {(m.node, m.account) for m in member_rows} | {
        (e.node, e.account) for e in entry_rows
    }
    lineage = data.source_files(con, period, through=True)
    file_href = {f.path: f"files/{slug(f.path)}.html" for f in lineage}

    def entity_account_href(entity: str, account: str, root: str) -> str:
        if (entity, account) in entity_pages:
            return f"{root}entities/{slug(entity)}/{slug(account)}.html"
        return ""

    _write_index(site, con, members, node_order, entity_name, lineage, file_href)
    _write_statements(
        site, con, entities, {n: c for n, c in members.items() if n in keep}, top,
        accounts, entity_name, member_rows, entry_rows, node_pages, entity_pages, ledger, skip,
        packs,
    )  # fmt: skip
    html_drill.write_node_accounts(
        site, [m for m in member_rows if m.node in keep], [e for e in entry_rows if e.node in keep],
        entities, entity_name, account_name, entity_account_href,
        lambda node: node_entry_basis(ledger, con, settings, period, node),
    )  # fmt: skip
    rank = {node: i for i, node in enumerate(node_order)}
    nodes_of: dict[tuple[str, str], list[str]] = {}
    for m in sorted(member_rows, key=lambda m: (rank.get(m.node, len(rank)), m.node)):
        nodes_of.setdefault((m.entity, m.account), []).append(m.node)
    html_drill.write_entity_accounts(
        site,
        con,
        data.shared_balance_keys(ledger, con, period, skip),
        entities,
        entity_name,
        account_name,
        entity_pages,
        file_href,
        skip,
        nodes_of,
        ledger,
    )
    html_drill.write_files(site, con, [f for f in lineage if f.path not in skip_files])
    documents = html_ic.write_pair_pages(site, con, top, ledger)
    _write_intercompany(site, con, node_order, node_pages, ledger, documents)
    write_statement_pages(
        site, con, node_statements(ledger, con, settings), rendered,
        lambda n, a: f"{slug(n)}/{slug(a)}.html" if (n, a) in node_pages else "",
        entity_pages, packs,
    )  # fmt: skip
    _write_fx(site, con, entity_account_href, ledger)
    html_management.write_pages(site, con, entity_pages, ledger)
    site.close()
    return sorted(site.written)


def _write_index(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    members: dict[str, list[str]],
    node_order: list[str],
    entity_name: Callable[[str], str],
    files: list[data.SourceFile],
    file_href: dict[str, str],
) -> None:
    """Close status, key figures, checks, nodes, every entity with its method
    and status, and every input file the figures use (this period's and, for
    cumulative balances and the year to date, the earlier periods')."""
    checks = data.checks(con, site.period)
    warnings = sum(1 for _check, state, _detail in checks if state == "warn")
    top = node_order[0] if node_order else ""
    books = entities_with_books(con, site.period)
    scope = node_scope(con, site.period, top, books) if top else []
    site.write(
        "index.html",
        "index.html",
        f"{site.t('summary')} {site.period}",
        checks=[(c, state, labels.readable_detail(detail)) for c, state, detail in checks],
        warnings=warnings,
        figures=_key_figures(site, con, top) if top else [],
        locked=data.locked(con, site.period),
        nodes=[
            {"code": n, "name": entity_name(n), "top": n == top,
             "members": len(members[n]), "href": f"nodes/{slug(n)}.html"}
            for n in node_order
        ],
        entities=[
            {"code": e.entity, "name": entity_name(e.entity), "currency": e.currency,
             "parent": e.parent, "depth": e.depth,
             "ownership": f"{(e.ownership * 100).normalize():f}" if e.parent else "",
             "method": e.method, "status": entity_status(site.settings.language, e, site.period),
             "member": e.status == "member" and e.has_books,
             "href": f"entities/{slug(e.entity)}.html"}
            for e in scope
        ],
        files=[{**f._asdict(), "href": file_href[f.path]} for f in files],
        has_rejects=reject_count(con, site.period) > 0,
        # The manifest is written after the site: seal() puts its SHA-256 here.
        manifest_sha256=PLACEHOLDER,
        # Only locks and reopens: the log's other lines (loads, reports) change
        # at every run and would change the pack of the same inputs.
        audit_log=audit_log.entries(con, site.period, ("lock", "reopen")),
    )  # fmt: skip


def _node_link(
    node: str,
    account: str,
    node_pages: set[tuple[str, str]],
    worksheet: tuple[WorksheetLine, ...],
) -> str:
    """A posting account's drill page; a summary account's worksheet line,
    where its posting accounts are listed with their own links."""
    if (node, account) in node_pages:
        return f"{slug(node)}/{slug(account)}.html"
    if any(w.account == account and w.is_summary for w in worksheet):
        return f"#ws-{slug(account)}"
    return ""


def _key_figures(
    site: Site, con: duckdb.DuckDBPyConnection, group: str
) -> list[tuple[str, Decimal]]:
    """The group's headline figures, YTD and presented (consolidate.key_figures)."""
    figures = key_figures(con, site.settings, site.period, group)
    return [
        (site.t("total_assets"), figures.total_assets),
        (site.t("profit_for_period"), figures.profit),
        (site.t("attributable_owners"), figures.owners),
        (site.t("attributable_nci"), figures.nci),
    ]


def _write_statements(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entities: dict[str, data.Entity],
    members: dict[str, list[str]],
    top: str,
    accounts: dict[str, Account],
    entity_name: Callable[[str], str],
    member_rows: Sequence[data.Member],
    entry_rows: Sequence[data.Entry],
    node_pages: set[tuple[str, str]],
    entity_pages: set[tuple[str, str]],
    ledger: LedgerBalances,
    skip: frozenset[str],
    packs: PriorPacks,
) -> None:
    """Each node's consolidated statements with its worksheet (members'
    translated total, eliminations, NCI, consolidated per account), then each
    entity's statements in functional currency. A comparative figure of an
    account links to its period's pack (``packs``): the account's page there,
    else (a node's summary account) its worksheet line."""
    settings, period, language = site.settings, site.period, site.settings.language
    tree = tuple(accounts.values())
    nci_profit = settings.accounts.nci_profit
    balances_by_node: dict[str, list[tuple[str, str, Decimal]]] = {}
    for m in member_rows:
        balances_by_node.setdefault(m.node, []).append((m.entity, m.account, m.amount_group))
    entries_by_node: dict[str, list[tuple[str, str, Decimal]]] = {}
    for e in entry_rows:
        entries_by_node.setdefault(e.node, []).append((e.step, e.account, e.amount_group))
    for node, codes in sorted(members.items()):
        source = node_source(con, settings, node, period, ledger)
        worksheet = consolidation_worksheet(
            tree, language, codes, balances_by_node.get(node, []), entries_by_node.get(node, [])
        )
        shown = (
            balance_sheet(tree, source, period, language, True, settings.accounts),
            income_statement(tree, source, period, language, nci_profit, consolidated=True),
        )
        comparatives = figure_links(packs, shown, f"nodes/{slug(node)}", worksheet=True)
        site.write(
            f"nodes/{slug(node)}.html",
            "statement.html",
            f"{entity_name(node)} ({node})",
            subtitle=site.t("group") if node == top else site.t("node"),
            statement_currency=settings.currency,
            members=[{"code": c, "href": f"../entities/{slug(c)}.html"} for c in codes],
            balance_sheet=shown[0],
            income_statement=shown[1],
            figure_links=comparatives.links,
            unlinked=comparatives.notes(language, site.t),
            worksheet=worksheet,
            statements_href=statements_href(node).removeprefix("nodes/"),
            link=lambda a, n=node, ws=worksheet: _node_link(n, a, node_pages, ws),
        )
    for code, entity in entities.items():
        if code in skip:
            continue
        source = entity_source(con, settings, code, period, ledger)
        shown = (
            balance_sheet(tree, source, period, language, accounts=settings.accounts),
            income_statement(tree, source, period, language, nci_profit, consolidated=False),
        )
        comparatives = figure_links(packs, shown, f"entities/{slug(code)}", worksheet=False)
        site.write(
            f"entities/{slug(code)}.html",
            "statement.html",
            f"{entity_name(code)} ({code})",
            subtitle=site.t("entity_statement"),
            statement_currency=entity.currency,
            members=[],
            worksheet=[],
            balance_sheet=shown[0],
            income_statement=shown[1],
            figure_links=comparatives.links,
            unlinked=comparatives.notes(language, site.t),
            link=lambda a, e=code: f"{slug(e)}/{slug(a)}.html" if (e, a) in entity_pages else "",
        )


def _write_intercompany(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    nodes: list[str],
    node_pages: set[tuple[str, str]],
    ledger: LedgerBalances,
    documents: dict[tuple[str, str], str],
) -> None:
    """Every node's intercompany pairs from :func:`consolidate.intercompany_pairs`;
    the group's link to their reconciliation page (``documents``)."""
    settings = site.settings
    pairs = [
        {**asdict(p), "node": node, "node_href": f"nodes/{slug(node)}.html",
         "account_href": f"nodes/{slug(node)}/{slug(p.plug_account)}.html"
         if (node, p.plug_account) in node_pages else f"nodes/{slug(node)}.html",
         "entity_href": f"entities/{slug(p.entity)}.html",
         "partner_href": f"entities/{slug(p.partner)}.html",
         "note": ic_note(settings.language, p),
         "documents_href": documents.get((p.entity, p.partner), "") if node == nodes[0] else ""}
        for node in nodes
        for p in data.shared_intercompany_pairs(ledger, con, settings, site.period, node)
    ]  # fmt: skip
    site.write(
        "intercompany.html", "intercompany.html", site.t("intercompany"),
        pairs=pairs, tolerance=settings.ic_tolerance,
    )  # fmt: skip


def _write_fx(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entity_account_href: Callable[[str, str, str], str],
    ledger: LedgerBalances,
) -> None:
    """Rates and every entity's translation by account, CTA last
    (:func:`closekit.consolidation.translation.translation_summary`)."""
    site.write(
        "fx.html",
        "fx.html",
        site.t("fx_translation"),
        rates=data.rates(con, site.period),
        translations=[
            {**asdict(line), "href": entity_account_href(line.entity, line.account, ""),
             "entity_href": f"entities/{slug(line.entity)}.html"}
            for line in data.shared_translations(ledger, con, site.settings, site.period)
        ],
    )  # fmt: skip
