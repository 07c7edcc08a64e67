"""The audit site's intercompany reconciliation pages (SPEC section 20): one
page per pair of the group, ``ic/ENTITY/PARTNER.html``, with each matching
plug account's documents and lines not based on a document, adding up to
the pair's remainder. Figures come from
:func:`closekit.consolidation.intercompany_reconciliation`; this module only
lays them out."""

from __future__ import annotations

import duckdb

from closekit.report.html_site import Site
from closekit.report.names import slug
from closekit.report.queries import shared_ic_reconciliation
from closekit.report.sources import LedgerBalances


def pair_href(entity: str, partner: str) -> str:
    return f"ic/{slug(entity)}/{slug(partner)}.html"


def write_pair_pages(
    site: Site, con: duckdb.DuckDBPyConnection, top: str, ledger: LedgerBalances
) -> dict[tuple[str, str], str]:
    """Every group pair's page; their links by (entity, partner), both orders
    (the reconciliation the group workbook shows too, kept by ``ledger``)."""
    if not top:
        return {}
    links: dict[tuple[str, str], str] = {}
    for rec in shared_ic_reconciliation(ledger, con, site.settings, site.period, top):
        href = pair_href(rec.entity, rec.partner)
        plugs = [{"plug": plug, "lines": rec.lines_of(plug.plug_account)} for plug in rec.plugs]
        site.write(
            href, "ic_pair.html", f"{site.t('ic_documents')} {rec.entity}/{rec.partner}",
            rec=rec, plugs=plugs, entity_href=f"entities/{slug(rec.entity)}.html",
            partner_href=f"entities/{slug(rec.partner)}.html",
        )  # fmt: skip
        links[(rec.entity, rec.partner)] = links[(rec.partner, rec.entity)] = href
    return links
