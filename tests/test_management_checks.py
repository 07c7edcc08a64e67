"""The vertical_horizontal check: the management view ties to the consolidated P&L."""

from __future__ import annotations

import tempfile
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from closekit.checks import CheckContext
from closekit.checks.management import vertical_horizontal
from closekit.consolidation import node_trial_balance
from closekit.manage import manage_period
from closekit.vertical import bu_pnl
from tests.test_manage_fixture import Group

OCT, NOV = "2026-10", "2026-11"


def ic_fee(group: Group) -> None:
    """S1 (PC1) charges S2 (PC3) 250.00, eliminated at the group; both sell 1,000.00."""
    group.balance(OCT, "S1", "4000", "-1000.00", pc="PC1")
    group.balance(OCT, "S2", "4000", "-1000.00", pc="PC3")
    group.balance(OCT, "S1", "4100", "-250.00", pc="PC1", partner="S2")
    group.balance(OCT, "S2", "6100", "250.00", pc="PC3", partner="S1")
    group.balance(OCT, "S1", "1000", "1250.00")
    group.balance(OCT, "S2", "1000", "750.00")
    group.elimination(OCT, "S1", "4100", "250.00", partner="S2", pc="PC1")
    group.elimination(OCT, "S1", "6900", "-250.00", partner="S2", pc="PC1")
    group.elimination(OCT, "S2", "6100", "-250.00", partner="S1", pc="PC3")
    group.elimination(OCT, "S2", "6900", "250.00", partner="S1", pc="PC3")
    group.consolidated(OCT)


def test_passes_when_the_vertical_total_equals_the_consolidated_pnl(tmp_path: Path) -> None:
    group = Group(tmp_path)
    ic_fee(group)
    manage_period(group.settings, group.con, OCT)
    result = vertical_horizontal(CheckContext(group.settings, group.con, OCT))
    assert result.status == "pass"
    assert result.detail == (
        "group profit before NCI: management view 2000.00 YTD (2000.00 month), "
        "consolidated 2000.00 YTD (2000.00 month)"
    )


def test_fails_with_both_figures_when_a_consolidation_entry_is_not_in_the_view(
    tmp_path: Path,
) -> None:
    group = Group(tmp_path)
    ic_fee(group)
    manage_period(group.settings, group.con, OCT)
    # A P&L entry written after the view was built reaches the consolidated
    # P&L but not the management view.
    group.con.execute(
        "INSERT INTO consolidation_entry (period, node, step, entity, partner, account, "
        "profit_center, cost_center, amount_group, note) VALUES "
        "(?, 'P', 'investment', 'S1', '', '6000', '', '', 30.00, ''), "
        "(?, 'P', 'investment', 'S1', '', '1000', '', '', -30.00, '')",
        [OCT, OCT],
    )
    result = vertical_horizontal(CheckContext(group.settings, group.con, OCT))
    assert result.status == "fail"
    assert result.detail == (
        "group profit before NCI: management view 2000.00 YTD (2000.00 month), "
        "consolidated 1970.00 YTD (1970.00 month); "
        "accounts differ: 6000: 0.00 vs 30.00 YTD, 0.00 vs 30.00 month"
    )


def test_fails_when_the_management_view_is_not_built(tmp_path: Path) -> None:
    group = Group(tmp_path)
    ic_fee(group)
    result = vertical_horizontal(CheckContext(group.settings, group.con, OCT))
    assert (result.status, result.detail) == ("fail", "the management view of 2026-10 is not built")


def test_nci_share_of_profit_is_below_the_tie(tmp_path: Path) -> None:
    group = Group(tmp_path)
    ic_fee(group)
    group.con.execute(
        "INSERT INTO consolidation_entry (period, node, step, entity, partner, account, "
        "profit_center, cost_center, amount_group, note) VALUES "
        "(?, 'P', 'nci_result', 'S2', '', '8900', '', '', 75.00, ''), "
        "(?, 'P', 'nci_result', 'S2', '', '3900', '', '', -75.00, '')",
        [OCT, OCT],
    )
    group.con.execute(
        "INSERT INTO account (account, name, type, rate) VALUES ('3900', 'NCI', 'equity', '')"
    )
    manage_period(group.settings, group.con, OCT)
    assert vertical_horizontal(CheckContext(group.settings, group.con, OCT)).status == "pass"


# ---- the tie for random groups --------------------------------------------

_GROUP: list[Group] = []


def shared_group() -> Group:
    """One database for all examples (cleared by each): fast enough for hypothesis."""
    if not _GROUP:
        _GROUP.append(Group(Path(tempfile.mkdtemp(prefix="closekit-mgmt-")), in_memory=True))
        # A non-member: equity-method associate X, outside the group's P&L.
        _GROUP[0].con.execute("INSERT INTO entity VALUES ('X', 'X', '', 'CNY', 'P', 30, 'equity')")
    return _GROUP[0]


line = st.tuples(
    st.sampled_from(["P", "S1", "S2", "X"]),
    st.sampled_from(["4000", "4100", "5000", "6000", "6100", "6900", "6950", "1000"]),
    st.sampled_from(["", "PC1", "PC2", "PC3"]),
    st.sampled_from(["", "CC-HW", "CC-IT", "CC-FIN"]),
    st.integers(min_value=-(10**9), max_value=10**9),
)
rule = st.tuples(
    st.sampled_from(["C1", "C2"]),
    st.sampled_from(["CC-IT", "CC-FIN", "CC-HW"]),
    st.sampled_from(["PC1", "PC2", "PC3"]),
    st.sampled_from(["fixed", "revenue"]),
    st.integers(min_value=1, max_value=9),
)


@settings(max_examples=12, deadline=None)
@given(
    october=st.lists(line, max_size=12),
    november=st.lists(line, max_size=12),
    eliminated=st.lists(line, max_size=4),
    rules=st.lists(rule, max_size=6),
)
def test_the_vertical_total_ties_to_the_consolidated_pnl_for_random_groups(
    october: list[tuple[str, str, str, str, int]],
    november: list[tuple[str, str, str, str, int]],
    eliminated: list[tuple[str, str, str, str, int]],
    rules: list[tuple[str, str, str, str, int]],
) -> None:
    group = shared_group()
    con = group.con
    for table in (
        "translated_balance",
        "consolidation_entry",
        "allocation",
        "node_member",
        "management_line",
        "allocation_posting",
        "management_warning",
        "period_status",
    ):
        con.execute(f"DELETE FROM {table}")
    balances, entries = [], []
    for period, lines in ((OCT, october), (NOV, november)):
        for entity, account, pc, cc, cents in lines:
            amount = D(cents).scaleb(-2)
            balances.append((period, entity, account, pc, cc, amount, amount))
        # Eliminations balance by construction (the other side on the IC plug).
        for entity, account, pc, _cc, cents in eliminated:
            amount = D(cents).scaleb(-2)
            entries += [
                (period, entity, account, pc, amount),
                (period, entity, "6900", pc, -amount),
            ]
    if balances:
        con.executemany(
            "INSERT INTO translated_balance VALUES (?, ?, ?, '', ?, ?, ?, ?, 'average')", balances
        )
    if entries:
        con.executemany(
            "INSERT INTO consolidation_entry (period, node, step, entity, partner, account, "
            "profit_center, cost_center, amount_group, note) "
            "VALUES (?, 'P', 'ic_elimination', ?, '', ?, ?, '', ?, '')",
            entries,
        )
    # One basis per cycle and sender; fixed shares of a sender sum to 1.
    seen: dict[tuple[str, str], tuple[str, dict[str, int]]] = {}
    for cycle, sender, receiver, basis, weight in rules:
        chosen = seen.setdefault((cycle, sender), (basis, {}))
        chosen[1][receiver] = weight
    for (cycle, sender), (basis, receivers) in seen.items():
        total = sum(receivers.values())
        for receiver, weight in receivers.items():
            share = str(D(weight) / D(total)) if basis == "fixed" else None
            group.rule(cycle, sender, receiver, basis, share)
    group.consolidated(OCT)
    group.consolidated(NOV)

    manage_period(group.settings, con, OCT)
    manage_period(group.settings, con, NOV)

    for period in (OCT, NOV):
        result = vertical_horizontal(CheckContext(group.settings, con, period))
        assert result.status == "pass", result.detail
    consolidated = -sum(
        (
            tb.amount
            for tb in node_trial_balance(con, group.settings, NOV, "P", "ytd")
            if tb.type in ("revenue", "expense") and tb.account != "8900"
        ),
        D(0),
    )
    assert bu_pnl(con, group.settings, NOV)[-1].ytd.result == consolidated
