"""The drill-down pages of the audit site, below the statements.

    node x account   members' translated balances and the node's entries
    entity x account balance keys, the journal lines behind the balance, and
                     each line's source row (its file's own columns)
    file             the file's hash, counts and rejected rows

Journal lines are capped per page (:data:`closekit.report.line_pages.LINE_CAP`);
a capped page names the ``closekit drill`` command that prints them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

import duckdb

from closekit.report import html_rows, labels, line_pages
from closekit.report import queries as data
from closekit.report.entry_basis import Basis
from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.sources import LedgerBalances


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal("0.00"))


def write_node_accounts(
    site: Site,
    member_rows: Sequence[data.Member],
    entry_rows: Sequence[data.Entry],
    entities: dict[str, data.Entity],
    entity_name: Callable[[str], str],
    account_name: Callable[[str], str],
    entity_account_href: Callable[[str, str, str], str],
    basis: Callable[[str], Mapping[data.Entry, Basis]],
) -> None:
    """Every node x account page: the members' balances, then the node's
    entries on the account with their step and basis (``basis(node)``)."""
    by_page: dict[tuple[str, str], tuple[list[data.Member], list[data.Entry]]] = {}
    for m in member_rows:
        by_page.setdefault((m.node, m.account), ([], []))[0].append(m)
    for e in entry_rows:
        by_page.setdefault((e.node, e.account), ([], []))[1].append(e)
    root = "../../"
    for (node, account), (page_members, page_entries) in sorted(by_page.items()):
        members_total = _sum(m.amount_group for m in page_members)
        entries_total = _sum(e.amount_group for e in page_entries)
        site.write(
            f"nodes/{slug(node)}/{slug(account)}.html",
            "node_account.html",
            f"{node} · {account} {account_name(account)}",
            node=node,
            node_href=f"../{slug(node)}.html",
            members=[
                {**m._asdict(), "name": entity_name(m.entity),
                 "currency": entities[m.entity].currency if m.entity in entities else "",
                 "href": entity_account_href(m.entity, account, root)}
                for m in page_members
            ],
            members_total=members_total,
            entries=[
                {**e._asdict(), "entity_href": entity_account_href(e.entity, account, root)
                 or entity_href(e.entity, entities, root),
                 "partner_href": entity_href(e.partner, entities, root),
                 "step_label": labels.step(site.settings.language, e.step),
                 "basis": _basis_text(basis(node).get(e))}
                for e in page_entries
            ],
            entries_total=entries_total,
            consolidated=members_total + entries_total,
        )  # fmt: skip


def _basis_text(found: Basis | None) -> tuple[str, Decimal | None]:
    """(share as a percentage, base) of an entry, or blanks."""
    if found is None:
        return "", None
    return f"{found.share * 100:.2f}%", found.base


def entity_href(code: str, entities: dict[str, data.Entity], root: str) -> str:
    return f"{root}entities/{slug(code)}.html" if code in entities else ""


def write_entity_accounts(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    keys: list[data.BalanceKey],
    entities: dict[str, data.Entity],
    entity_name: Callable[[str], str],
    account_name: Callable[[str], str],
    entity_pages: set[tuple[str, str]],
    file_href: dict[str, str],
    skip: frozenset[str] = frozenset(),
    nodes_of: Mapping[tuple[str, str], Sequence[str]] | None = None,
    ledger: LedgerBalances | None = None,
) -> None:
    """Every entity x account page but those of the entities in ``skip``.
    ``nodes_of``: the nodes whose account page lists the entity's balance
    (the group first): the page's breadcrumbs lead back to them. ``ledger``
    holds the report run's lines query (perhaps run ahead)."""
    file_hrefs = {path: f"../../{href}" for path, href in file_href.items()}
    keys_by_page: dict[tuple[str, str], list[data.BalanceKey]] = {}
    for k in keys:
        keys_by_page.setdefault((k.entity, k.account), []).append(k)
    lines_by_page = (
        line_pages.shared_journal_lines(ledger, con, site.settings, site.period, skip)
        if ledger is not None
        else line_pages.journal_lines(con, site.settings, site.period, skip=skip)
    )
    generated = site.t("generated")

    def write(page: tuple[str, str], lines: list[line_pages.JournalLine], count: int,
              total: Decimal) -> None:  # fmt: skip
        entity, account = page
        page_keys = keys_by_page.get(page, [])
        crumbs = [
            {"node": node, "node_href": f"../../nodes/{slug(node)}.html",
             "href": f"../../nodes/{slug(node)}/{slug(account)}.html"}
            for node in (nodes_of or {}).get(page, ())
        ]  # fmt: skip
        site.write(
            f"entities/{slug(entity)}/{slug(account)}.html",
            "entity_account.html",
            f"{entity} · {account} {account_name(account)}",
            entity=entity,
            entity_href=f"../{slug(entity)}.html",
            functional_currency=entities[entity].currency if entity in entities else "",
            key_rows=html_rows.key_rows(page_keys),
            keys_total=_sum(k.amount for k in page_keys),
            keys_total_group=_sum(k.amount_group for k in page_keys),
            line_rows=html_rows.line_rows(lines, generated),
            source_rows=html_rows.source_rows(lines, file_hrefs),
            shown_total=_sum(line.amount for line in lines),
            shown=len(lines),
            count=count,
            total=total,
            account=account,
            crumbs=crumbs,
            drill_command=(
                f"closekit drill {site.period} --account {shell(account)} "
                f"--entity {shell(entity)} --format csv"
            ),
        )

    done: set[tuple[str, str]] = set()
    for found in lines_by_page:
        page = (found.entity, found.account)
        write(page, found.lines, found.line_count, found.total)
        done.add(page)
    for page in sorted(entity_pages - done):
        if page[0] not in skip:
            write(page, [], 0, Decimal("0.00"))


def shell(code: str) -> str:
    """A code as one shell word, quoted only when it needs it."""
    if code and all(c.isalnum() or c in "-_./" for c in code):
        return code
    return "'" + code.replace("'", "'\\''") + "'"


def write_files(site: Site, con: duckdb.DuckDBPyConnection, files: list[data.SourceFile]) -> None:
    by_file: dict[str, list[data.Reject]] = {}
    for r in data.rejects(con, site.period):
        by_file.setdefault(r.path, []).append(r)
    for f in files:
        site.write(
            f"files/{slug(f.path)}.html",
            "file.html",
            f.path,
            file=f,
            rejects=by_file.get(f.path, []),
            cap=data.REJECT_CAP,
        )
