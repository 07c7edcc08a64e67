"""Invariants of group accounting over time (issue 12, hypothesis), for
random groups with random histories over four months that cross a fiscal
year end: subsidiaries acquired at the start or later, held by the parent or
by another subsidiary (an intermediate node), purchases from and sales to
NCI, losses of control of a single subsidiary (sold outright, or with a
stake kept that becomes an associate), and associates bought later, earning
and paying dividends (the equity method):

- every node's consolidated trial balance sums to zero in every period;
- NCI + owners' equity = total equity at every node and period: the closing
  row of the statement of changes in equity, whose every column ties to the
  balance sheet (check ``equity_statement``), and whose total is the node's
  net assets;
- with NCI measured at its proportionate share, the NCI in a subsidiary
  without subsidiaries of its own is, at the node that holds it directly,
  (1 - o) of its translated net assets, whatever happened before, to
  rounding cents;
- ownership.csv rows that repeat entities.csv (a structure that never
  changes) close to the same figures as without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from closekit.checks.base import CheckContext
from closekit.checks.statements import equity_statement_check
from closekit.consolidation import consolidation_nodes, node_trial_balance
from closekit.consolidation.structure import period_structure
from closekit.statements.equity import equity_statement
from tests.test_consolidate_helpers import Group, amounts

# A fiscal year end (December) between the second and third months.
PERIODS = ("2026-11", "2026-12", "2027-01", "2027-02")
RATES = {"2026-11": "7.00", "2026-12": "7.13", "2027-01": "6.95", "2027-02": "7.21"}
HOLDINGS = ("60", "75", "80", "90", "100")
LAST = len(PERIODS) - 1
FAST = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

disposal = st.fixed_dictionaries(
    {
        "after": st.integers(1, 3),  # periods after the acquisition (or the change)
        "kept": st.sampled_from(("0", "0", "20", "30")),  # a kept stake is an associate
        "proceeds": st.integers(1_000, 90_000),
        "fair_value": st.integers(100, 20_000),  # of a kept stake, in S's currency
    }
)
subsidiary = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(["CNY", "USD"]),
        "joins": st.integers(0, 2),  # index of the period it becomes a subsidiary
        "pct": st.sampled_from(HOLDINGS),
        "change": st.one_of(st.none(), st.sampled_from(HOLDINGS)),
        "disposal": st.one_of(st.none(), disposal),
        "under_first": st.booleans(),  # held by S0 (when S0 stays all along)
        "capital": st.integers(1_000, 50_000),
        "profits": st.lists(st.integers(-3_000, 9_000), min_size=4, max_size=4),
        "paid": st.integers(500, 60_000),
    }
)
associate = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(["CNY", "USD"]),
        "starts": st.integers(1, 3),  # index of the period of the equity start
        "pct": st.sampled_from(("20", "30", "45")),
        "capital": st.integers(1_000, 50_000),
        "profits": st.lists(st.integers(-9_000, 9_000), min_size=4, max_size=4),
        "paid": st.integers(500, 30_000),
        "dividend": st.integers(0, 3_000),  # paid in the last period
    }
)


@dataclass(frozen=True)
class History:
    """When a subsidiary's holding changes, in period indexes (None: never)."""

    holder: str
    joins: int
    change: int | None
    leaves: int | None


def history(n: int, sub: dict[str, object], stays: bool) -> History:
    """S0 can hold others when it is a member all along (``stays``); a change
    comes the period after the acquisition; a disposal after both."""
    joins = int(sub["joins"])  # type: ignore[call-overload]
    change = sub["change"]
    changes = joins + 1 if change is not None and change != sub["pct"] and joins < LAST else None
    leaves = None
    if sub["disposal"] is not None:
        after = int(sub["disposal"]["after"])  # type: ignore[index]
        leaves = (changes if changes is not None else joins) + after
        leaves = leaves if leaves <= LAST else None
    holder = "S0" if n > 0 and stays and sub["under_first"] else "P"
    return History(holder, joins, changes, leaves)


def s0_stays(subs: list[dict[str, object]]) -> bool:
    return bool(subs) and subs[0]["joins"] == 0 and history(0, subs[0], False).leaves is None


def build(
    root: Path,
    subs: list[dict[str, object]],
    dated: bool,
    associates: tuple[dict[str, object], ...] = (),
) -> Group:
    g = Group(root).entity("P")
    g.account("4500", "revenue", "average", "3200", "dividend_income")
    g.account("4700", "revenue", "average").account("4800", "revenue", "average")
    g.account("4810", "revenue", "average", "", "disposal_gain")
    g.accounts(
        ownership_changes="3100",
        bargain_purchase="4000",
        disposal_gain="4800",
        associate_result="4700",
    )
    for period, rate in RATES.items():
        g.rate(period, "USD", rate, rate)
    g.line(PERIODS[0], "P", "1000", "1000000").line(PERIODS[0], "P", "3000", "-1000000")
    stays = s0_stays(subs)
    for n, sub in enumerate(subs):
        s, when = f"S{n}", history(n, sub, stays)
        q = when.holder
        g.entity(s, str(sub["currency"]), parent=q, pct=str(sub["pct"]))
        if when.joins:
            g.ownership(s, PERIODS[0], "", "0", "none")
        if when.joins or dated:
            g.ownership(s, PERIODS[when.joins], q, str(sub["pct"]))
        held, invested = Decimal(str(sub["pct"])), Decimal(int(sub["paid"]))  # type: ignore[call-overload]
        g.line(PERIODS[when.joins], q, "1500", str(invested), partner=s)
        g.line(PERIODS[when.joins], q, "1000", str(-invested))
        if when.change is not None:
            # A purchase from NCI, or a sale to NCI booked at cost (no own gain).
            change = Decimal(str(sub["change"]))
            g.ownership(s, PERIODS[when.change], q, str(change))
            price = invested * (change - held) / 100
            g.line(PERIODS[when.change], q, "1500", str(price), partner=s)
            g.line(PERIODS[when.change], q, "1000", str(-price))
            held, invested = change, invested + price
        if when.leaves is not None:
            sale: dict[str, object] = sub["disposal"]  # type: ignore[assignment]
            kept = Decimal(str(sale["kept"]))
            if kept:
                fair_value = str(sale["fair_value"])
                g.ownership(s, PERIODS[when.leaves], q, str(kept), "equity", fair_value=fair_value)
            else:
                g.ownership(s, PERIODS[when.leaves], "", "0", "none")
            # Q's own books: proceeds, the cost of what it sold, its own gain.
            cost = (invested * (held - kept) / held).quantize(Decimal("0.01"))
            proceeds = Decimal(int(sale["proceeds"]))  # type: ignore[call-overload]
            g.line(PERIODS[when.leaves], q, "1000", str(proceeds))
            g.line(PERIODS[when.leaves], q, "1500", str(-cost), partner=s)
            g.line(PERIODS[when.leaves], q, "4810", str(cost - proceeds), partner=s)
        capital = str(sub["capital"])
        g.line(PERIODS[0], s, "1000", capital, module="opening")
        g.line(PERIODS[0], s, "3000", f"-{capital}", module="opening")
        for period, profit in zip(PERIODS, sub["profits"], strict=True):  # type: ignore[call-overload]
            g.line(period, s, "1000", str(profit)).line(period, s, "4000", str(-profit))
    for n, assoc in enumerate(associates):
        add_associate(g, f"A{n}", assoc, dated)
    g.post(*PERIODS)
    return g


def add_associate(g: Group, a: str, assoc: dict[str, object], dated: bool) -> None:
    """P's associate A from its equity start (index 0: held from the first
    period), paying a dividend in the last period: A debits retained
    earnings, P credits dividend income (partner A) with its share, in CNY
    at the month's average rate."""
    starts, pct = int(assoc["starts"]), str(assoc["pct"])  # type: ignore[call-overload]
    g.entity(a, str(assoc["currency"]), parent="P", pct=pct, method="equity")
    if starts:
        g.ownership(a, PERIODS[0], "", "0", "none")
    if starts or dated:
        g.ownership(a, PERIODS[starts], "P", pct, "equity")
    g.line(PERIODS[starts], "P", "1500", str(assoc["paid"]), partner=a)
    g.line(PERIODS[starts], "P", "1000", f"-{assoc['paid']}")
    capital = str(assoc["capital"])
    g.line(PERIODS[0], a, "1000", capital, module="opening")
    g.line(PERIODS[0], a, "3000", f"-{capital}", module="opening")
    for period, profit in zip(PERIODS, assoc["profits"], strict=True):  # type: ignore[call-overload]
        g.line(period, a, "1000", str(profit)).line(period, a, "4000", str(-profit))
    dividend = Decimal(int(assoc["dividend"]))  # type: ignore[call-overload]
    if dividend:
        last = PERIODS[LAST]
        rate = Decimal(RATES[last]) if assoc["currency"] == "USD" else Decimal(1)
        received = (dividend * Decimal(pct) / 100 * rate).quantize(Decimal("0.01"))
        g.line(last, a, "3200", str(dividend), flow="dividend")
        g.line(last, a, "1000", str(-dividend))
        g.line(last, "P", "1000", str(received)).line(last, "P", "4500", str(-received), partner=a)


def nci_and_net_assets(g: Group, period: str, node: str, s: str) -> tuple[Decimal, Decimal]:
    """S's NCI at ``node``, and the net assets it is a share of: S's
    translated net assets and the node's balance-sheet entries that belong
    to S (SPEC 17: an equity-accounted stake S holds, a stake S kept after
    selling a subsidiary), NCI lines aside."""
    nci = g.con.execute(
        "SELECT -coalesce(sum(amount_group), 0) FROM consolidation_entry "
        "WHERE period = ? AND node = ? AND account = '3900' AND entity = ?",
        [period, node, s],
    ).fetchone()
    net = g.con.execute(
        "SELECT coalesce(sum(t.amount_group), 0) FROM translated_balance t "
        "JOIN account a USING (account) WHERE t.period = ? AND t.entity = ? "
        "AND a.type IN ('asset', 'liability')",
        [period, s],
    ).fetchone()
    entries = g.con.execute(
        "SELECT coalesce(sum(e.amount_group), 0) FROM consolidation_entry e "
        "JOIN account a USING (account) WHERE e.period = ? AND e.node = ? AND e.owner = ? "
        "AND a.type IN ('asset', 'liability')",
        [period, node, s],
    ).fetchone()
    assert nci is not None and net is not None and entries is not None
    return Decimal(nci[0]), Decimal(net[0]) + Decimal(entries[0])


def assert_invariants(g: Group, period: str) -> None:
    """The three invariants of the module docstring at every node of ``period``."""
    result = equity_statement_check(CheckContext(g.settings, g.con, period))
    assert result.status == "pass", (period, result.detail)
    for node in consolidation_nodes(g.con, period):
        tb = node_trial_balance(g.con, g.settings, period, node, "ytd")
        assert sum(amounts(tb).values()) == 0, (period, node)
        net_assets = sum((x.amount for x in tb if x.type in ("asset", "liability")), Decimal(0))
        closing = equity_statement(g.con, g.settings, period, node).rows[-1]
        owners, nci, total = (closing.amount(c) for c in ("owners", "nci", "total"))
        assert owners + nci == total == net_assets, (period, node, owners, nci, net_assets)
        assert nci == -amounts(tb).get("3900", Decimal(0)), (period, node)
    # Leaves held directly (an entity that sold its subsidiaries is one).
    members = g.con.execute(
        "SELECT node, entity, ownership FROM node_member m WHERE period = $p AND depth = 1 "
        "AND NOT EXISTS (SELECT 1 FROM node_member c WHERE c.period = m.period "
        "AND c.node = m.entity)",
        {"p": period},
    ).fetchall()
    for node, s, own in members:
        nci_s, net = nci_and_net_assets(g, period, node, s)
        # rounding: a cent per NCI line (acquisition, results, each key)
        assert abs(nci_s - (1 - own) * net) <= Decimal("0.05"), (period, node, s, nci_s, net)


@settings(FAST, max_examples=6)
@given(
    st.lists(subsidiary, min_size=1, max_size=3),
    st.lists(associate, max_size=1).map(tuple),
)
def test_random_histories_balance_and_split_equity(
    subs: list[dict[str, object]], associates: tuple[dict[str, object], ...]
) -> None:
    with TemporaryDirectory() as tmp:
        g = build(Path(tmp), subs, dated=False, associates=associates)
        for period in PERIODS:
            g.consolidate(period)
            assert_invariants(g, period)
            # What the example exercised (pytest --hypothesis-show-statistics).
            for happened in period_structure(g.settings, g.con, period).events:
                event(happened.kind)


@settings(FAST, max_examples=2)
@given(
    st.lists(
        subsidiary.map(lambda s: {**s, "joins": 0, "change": None, "disposal": None}), max_size=3
    ),
    st.lists(associate.map(lambda a: {**a, "starts": 0}), max_size=1).map(tuple),
)
def test_ownership_rows_repeating_entities_change_nothing(
    subs: list[dict[str, object]], associates: tuple[dict[str, object], ...]
) -> None:
    with TemporaryDirectory() as tmp:
        plain = build(Path(tmp) / "plain", subs, dated=False, associates=associates)
        dated = build(Path(tmp) / "dated", subs, dated=True, associates=associates)
        for period in PERIODS:
            plain.consolidate(period)
            dated.consolidate(period)
            for node in consolidation_nodes(plain.con, period):
                assert node_trial_balance(
                    plain.con, plain.settings, period, node, "ytd"
                ) == node_trial_balance(dated.con, dated.settings, period, node, "ytd")


# ---- regressions the properties found ---------------------------------------


def sold_by_an_intermediate(root: Path, first: str, second: str) -> Group:
    """P holds 90% of H (cost 9,000; H: capital 10,000), H holds 80% of S
    (cost 4,000; S: capital 5,000), all CNY, from the first period; S earns
    1,000 in it. At the start of the second period H sells all of S for
    7,000 (own gain 3,000)."""
    g = Group(root).entity("P").entity("H", parent="P", pct="90").entity("S", parent="H", pct="80")
    g.account("4800", "revenue", "average").account(
        "4810", "revenue", "average", "", "disposal_gain"
    )
    g.accounts(disposal_gain="4800").ownership("S", second, "", "0", "none")
    g.line(first, "P", "1500", "9000", partner="H").line(first, "P", "1000", "91000")
    g.line(first, "P", "3000", "-100000")
    g.line(first, "H", "1500", "4000", partner="S").line(first, "H", "1000", "6000")
    g.line(first, "H", "3000", "-10000")
    g.line(first, "S", "1000", "5000", module="opening")
    g.line(first, "S", "3000", "-5000", module="opening")
    g.line(first, "S", "1000", "1000").line(first, "S", "4000", "-1000")
    g.line(second, "H", "1000", "7000").line(second, "H", "1500", "-4000", partner="S")
    g.line(second, "H", "4810", "-3000", partner="S")
    g.post(first, second)
    g.consolidate(first)
    g.consolidate(second)
    return g


def group_tb(g: Group, period: str) -> dict[str, Decimal]:
    tb = amounts(node_trial_balance(g.con, g.settings, period, "P", "ytd"))
    return {account: amount for account, amount in tb.items() if amount}


def test_sale_by_an_intermediate_in_the_next_year_keeps_its_minoritys_share(
    tmp_path: Path,
) -> None:
    """S is sold in January 2027 (S earned 1,000 in December 2026).

    At H: gain = 7,000 + NCI 1,200 (20% x 6,000) - net assets 6,000 = 2,200;
    H's consolidated equity after: capital 10,000 + S's post-acquisition
    earnings 800 (80% x 1,000, brought forward) + 2,200 = 13,000 (its cash
    6,000 + 7,000). At P, H's minority holds 10% of it: NCI 1,300.00 (1,000
    at acquisition, 220 of the 2027 result 2,200, 80 of the 800 brought
    forward); owners' retained earnings 90% x 800 = 720.00 (what P's owners
    took of S's 2026 result at 72%); the group's cash 91,000 + 13,000."""
    g = sold_by_an_intermediate(tmp_path, "2026-12", "2027-01")
    assert group_tb(g, "2027-01") == {
        "1000": Decimal("104000.00"),
        "3000": Decimal("-100000.00"),
        "3200": Decimal("-720.00"),
        "3900": Decimal("-1300.00"),
        "4800": Decimal("-2200.00"),
        "8900": Decimal("220.00"),
    }


def test_sale_by_an_intermediate_in_the_same_year_keeps_its_minoritys_share(
    tmp_path: Path,
) -> None:
    """S is sold in December 2026 (S earned 1,000 in November 2026).

    The group keeps S's November result 1,000 and its NCI share at P, 28%
    (IFRS 10.B88): NCI in profit 280 + 10% x H's gain 2,200 = 500.00. Of the
    280, S's own minority's 200 leaves with S's NCI; H's minority's 80 (10%
    of H's 800) stays: NCI 1,000 + 220 + 80 = 1,300.00 (10% of H's 13,000).
    Owners: profit 1,000 + 2,200 - 500 = 2,700 (90% x 3,000), nothing on
    retained earnings."""
    g = sold_by_an_intermediate(tmp_path, "2026-11", "2026-12")
    assert group_tb(g, "2026-12") == {
        "1000": Decimal("104000.00"),
        "3000": Decimal("-100000.00"),
        "3900": Decimal("-1300.00"),
        "4000": Decimal("-1000.00"),
        "4800": Decimal("-2200.00"),
        "8900": Decimal("500.00"),
    }
