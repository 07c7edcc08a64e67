"""``master/ic_margins.csv`` (SPEC section 18.1): each group seller's gross
margin on the goods it sells to the group, measured on the demo's first
month, so the unrealised profit closekit eliminates from the buyers' stock
is the profit the seller really made on it."""

from __future__ import annotations

from decimal import Decimal

from closekit.sample import chart
from closekit.sample.demo.books import Books
from closekit.sample.demo.period import Period
from closekit.sample.demo.scenario import IC_GOODS, ZERO
from closekit.sample.files import Table

D = Decimal
COLUMNS = ("period", "seller", "margin_pct")


def ic_margins(books: Books, p: Period) -> Table:
    """Per seller: 1 - cost / revenue of its intragroup goods in ``p``, in
    percent to one decimal. Cost is the stock its deliveries to the group
    issued, plus the production labour and overhead of the month (5300) in
    proportion of that stock to all it issued."""
    rows = []
    for seller in sorted({flow.seller for flow in IC_GOODS}):
        invoiced = {
            r.doc_id for r in p.sales if r.entity == seller and r.partner and r.kind == "goods"
        }
        revenue = -books.movement(p.period, seller, [chart.IC_REVENUE_GOODS])
        issued = [r for r in p.inventory if (r.entity, r.kind) == (seller, "sale_issue")]
        to_group = sum(
            (r.value for r in issued if r.doc_id.replace("-GI-", "-IC-") in invoiced), ZERO
        )
        everything = sum((r.value for r in issued), ZERO)
        production = books.movement(p.period, seller, [chart.PRODUCTION_COSTS])
        cost = to_group + production * to_group / everything
        rows.append((p.period, seller, chart.cents((1 - cost / revenue) * 100, 1)))
    return Table("master/ic_margins.csv", COLUMNS, rows)
