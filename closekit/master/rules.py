"""The rules of master data (SPEC section 3), each a small function, and
:func:`check_master`, which runs every master file's rules in dependency order.
Accounts have their own module (:mod:`.accounts`), the dated group structure
too (:mod:`.ownership`).
"""

from __future__ import annotations

from decimal import Decimal

from closekit.errors import PeriodError, Problem
from closekit.master.accounts import accounts
from closekit.master.margins import ic_margins
from closekit.master.ownership import Holding, ownership
from closekit.master.records import (
    RATE_PLACES,
    MasterRows,
    Row,
    check_enum,
    check_tree,
    currency_code,
    decimal_value,
    places,
    unique_codes,
)
from closekit.periods import parse_period
from closekit.workspace import SETTINGS_FILE, Settings

METHODS = ("full", "equity", "none")
SUBLEDGERS = ("sales", "purchasing", "inventory", "expenses")
MODULE_AMOUNTS = {
    "sales": ("net", "tax", "gross"),
    "purchasing": ("net", "tax", "gross"),
    "expenses": ("net", "tax", "gross"),
    "inventory": ("value",),
}


# ---- the rules of SPEC section 3 ------------------------------------------


def entities(m: MasterRows, group_currency: str) -> list[tuple[object, ...]]:
    rows, problems = m.rows["entities"], m.problems
    nodes = unique_codes(rows, "entity", problems)
    tops = [r for r in nodes.values() if not r.get("parent")]
    if not tops and rows:
        problems.append(
            Problem(
                rows[0].path,
                None,
                "parent",
                "no top entity: exactly one entity has an empty parent",
            )
        )
    for extra in tops[1:]:
        problems.append(
            extra.problem(
                "parent",
                f'second top entity "{extra.get("entity")}" '
                f'(first: "{tops[0].get("entity")}"); exactly one entity has an empty parent',
            )
        )
    check_tree(nodes, "parent", "entity", problems)
    out: list[tuple[object, ...]] = []
    for code, row in nodes.items():
        currency = currency_code(row.get("currency"))
        if currency is None:
            problems.append(
                row.problem(
                    "currency", f'"{row.get("currency")}" is not a three-letter currency code'
                )
            )
        method = check_enum(row, "method", METHODS, problems, default="full")
        if method in ("equity", "none"):
            m.warnings.append(
                f"{row.path}:{row.row} method: entity {code} has method {method}; it and the "
                "entities below it are not consolidated line by line"
            )
        pct = Decimal(100)
        if row.get("parent"):
            value = decimal_value(row.get("ownership_pct"))
            if value is None:
                problems.append(
                    row.problem(
                        "ownership_pct",
                        f'"{row.get("ownership_pct")}" is not a number (0 < x <= 100)',
                    )
                )
            elif not Decimal(0) < value <= Decimal(100):
                problems.append(row.problem("ownership_pct", f"{value} is not within 0 < x <= 100"))
            elif places(value) > 8:
                problems.append(
                    row.problem("ownership_pct", f"{value} has more than 8 decimal places")
                )
            else:
                pct = value
        out.append(
            (
                code,
                row.get("name"),
                row.get("name_zh"),
                currency or "",
                row.get("parent"),
                pct,
                method,
            )
        )
    return out


def business_units(m: MasterRows) -> list[tuple[object, ...]]:
    nodes = unique_codes(m.rows["business_units"], "business_unit", m.problems)
    check_tree(nodes, "parent", "business unit", m.problems)
    return [(c, r.get("name"), r.get("name_zh"), r.get("parent")) for c, r in nodes.items()]


def profit_centers(m: MasterRows, units: set[str]) -> list[tuple[object, ...]]:
    nodes = unique_codes(m.rows["profit_centers"], "profit_center", m.problems)
    for row in nodes.values():
        unit = row.get("business_unit")
        if not unit:
            m.problems.append(row.problem("business_unit", "is required"))
        elif unit not in units:
            m.problems.append(row.problem("business_unit", f'unknown business unit "{unit}"'))
    return [(c, r.get("name"), r.get("name_zh"), r.get("business_unit")) for c, r in nodes.items()]


def cost_centers(m: MasterRows, entities: set[str], centers: set[str]) -> list[tuple[object, ...]]:
    nodes = unique_codes(m.rows["cost_centers"], "cost_center", m.problems)
    for row in nodes.values():
        entity, center = row.get("entity"), row.get("profit_center")
        if not entity:
            m.problems.append(row.problem("entity", "is required"))
        elif entity not in entities:
            m.problems.append(row.problem("entity", f'unknown entity "{entity}"'))
        if center and center not in centers:
            m.problems.append(row.problem("profit_center", f'unknown profit center "{center}"'))
    return [
        (
            c,
            r.get("name"),
            r.get("name_zh"),
            r.get("entity"),
            r.get("department"),
            r.get("profit_center"),
        )
        for c, r in nodes.items()
    ]


def _rate(row: Row, column: str, problems: list[Problem]) -> Decimal | None:
    text = row.get(column)
    if not text:
        return None
    value = decimal_value(text)
    if value is None:
        problems.append(row.problem(column, f'"{text}" is not a number'))
    elif value <= 0:
        problems.append(row.problem(column, f"{text} is not positive"))
    elif places(value) > RATE_PLACES:
        problems.append(row.problem(column, f"{text} has more than {RATE_PLACES} decimal places"))
    else:
        return value
    return None


def fx_rates(m: MasterRows, group_currency: str) -> list[tuple[object, ...]]:
    seen: dict[tuple[str, str], Row] = {}
    rates: dict[tuple[str, str], tuple[Decimal | None, Decimal | None]] = {}
    for row in m.rows["fx_rates"]:
        try:
            period = parse_period(row.get("period"))
        except PeriodError:
            m.problems.append(
                row.problem("period", f'"{row.get("period")}" is not a period (YYYY-MM)')
            )
            continue
        currency = currency_code(row.get("currency"))
        if currency is None:
            m.problems.append(
                row.problem(
                    "currency", f'"{row.get("currency")}" is not a three-letter currency code'
                )
            )
            continue
        key = (period, currency)
        if key in seen:
            m.problems.append(
                row.problem(
                    "currency", f"{currency} {period} appears twice (first on row {seen[key].row})"
                )
            )
            continue
        seen[key] = row
        closing, average = _rate(row, "closing", m.problems), _rate(row, "average", m.problems)
        if currency == group_currency:
            for column, value in (("closing", closing), ("average", average)):
                if value is not None and value != 1:
                    m.problems.append(
                        row.problem(
                            column, f"the group currency {currency} has rate 1, not {value}"
                        )
                    )
            continue
        rates[key] = (closing, average)
    # The group currency's own rate is 1 in every period that has rates.
    for period in sorted({p for p, _ in seen}):
        rates[(period, group_currency)] = (Decimal(1), Decimal(1))
    return [(p, c, closing, average) for (p, c), (closing, average) in sorted(rates.items())]


_SIDE_SIGN = {"debit": 1, "credit": -1}
# gross = net + tax: a rule set balances when, for every source amount, its
# debit coefficients equal its credit coefficients.
_COMPONENTS = {
    "net": {"net": 1},
    "tax": {"tax": 1},
    "gross": {"net": 1, "tax": 1},
    "value": {"value": 1},
}


def posting_rules(m: MasterRows, posting: set[str]) -> list[tuple[object, ...]]:
    sets: dict[tuple[str, str, str], list[Row]] = {}
    out: list[tuple[object, ...]] = []
    for seq, row in enumerate(m.rows["posting_rules"], start=1):
        module = check_enum(row, "module", SUBLEDGERS, m.problems)
        kind = row.get("kind")
        if not kind:
            m.problems.append(row.problem("kind", "is required"))
        flag = check_enum(row, "intercompany", ("yes", "no", "any"), m.problems)
        side = check_enum(row, "side", ("debit", "credit"), m.problems)
        amount = check_enum(row, "amount", ("net", "tax", "gross", "value"), m.problems)
        if (
            module in MODULE_AMOUNTS
            and amount in _COMPONENTS
            and amount not in MODULE_AMOUNTS[module]
        ):
            allowed = ", ".join(MODULE_AMOUNTS[module])
            m.problems.append(row.problem("amount", f"{module} rows carry {allowed}, not {amount}"))
        account = row.get("account")
        if account not in posting:
            m.problems.append(
                row.problem(
                    "account", f'"{account}" is not a posting account' if account else "is required"
                )
            )
        sets.setdefault((module, kind, flag), []).append(row)
        out.append((module, kind, flag, side, account, amount, seq))
    for (module, kind, flag), rows in sets.items():
        balance: dict[str, int] = {}
        for row in rows:
            sign = _SIDE_SIGN.get(row.get("side").lower(), 0)
            for component, weight in _COMPONENTS.get(row.get("amount").lower(), {}).items():
                balance[component] = balance.get(component, 0) + sign * weight
        off = [c for c, v in sorted(balance.items()) if v]
        if off:
            m.problems.append(
                rows[0].problem(
                    "amount",
                    f"rule set {module}/{kind}/{flag} does not balance: debit and credit differ by "
                    + ", ".join(f"{balance[c]:+d} x {c}" for c in off),
                )
            )
    return out


def allocations(
    m: MasterRows, cost_centers: set[str], profit_centers: set[str]
) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    groups: dict[tuple[str, str], list[tuple[Row, str, Decimal | None]]] = {}
    for seq, row in enumerate(m.rows["allocations"], start=1):
        cycle, sender, receiver = row.get("cycle"), row.get("sender"), row.get("receiver")
        if not cycle:
            m.problems.append(row.problem("cycle", "is required"))
        if sender not in cost_centers:
            m.problems.append(row.problem("sender", f'"{sender}" is not a cost center'))
        if receiver not in profit_centers:
            m.problems.append(row.problem("receiver", f'"{receiver}" is not a profit center'))
        basis = check_enum(row, "basis", ("fixed", "revenue"), m.problems)
        share: Decimal | None = None
        if basis == "fixed":
            share = decimal_value(row.get("share"))
            if share is None or not Decimal(0) < share <= Decimal(1) or places(share) > RATE_PLACES:
                m.problems.append(
                    row.problem(
                        "share",
                        f'"{row.get("share")}" is not a share 0 < x <= 1 '
                        f"with at most {RATE_PLACES} decimals",
                    )
                )
                share = None
        elif basis == "revenue" and row.get("share"):
            m.problems.append(row.problem("share", "must be empty for basis revenue"))
        groups.setdefault((cycle, sender), []).append((row, basis, share))
        out.append((cycle, sender, receiver, basis, share, seq))
    for (cycle, sender), members in groups.items():
        first = members[0][0]
        bases = {b for _, b, _ in members}
        if len(bases) > 1:
            m.problems.append(
                first.problem("basis", f"cycle {cycle} sender {sender} mixes bases {sorted(bases)}")
            )
        receivers = [r.get("receiver") for r, _, _ in members]
        for row, _, _ in members:
            if receivers.count(row.get("receiver")) > 1 and row is not members[0][0]:
                m.problems.append(
                    row.problem(
                        "receiver",
                        f"receiver {row.get('receiver')} appears twice "
                        f"for cycle {cycle} sender {sender}",
                    )
                )
                break
        if bases == {"fixed"} and all(s is not None for _, _, s in members):
            total = sum((s for _, _, s in members if s is not None), Decimal(0))
            if total != 1:
                m.problems.append(
                    first.problem(
                        "share", f"shares of cycle {cycle} sender {sender} sum to {total}, not 1"
                    )
                )
    return out


def special_accounts(settings: Settings, posting: set[str], problems: list[Problem]) -> None:
    for role, code in vars(settings.accounts).items():
        if code is not None and code not in posting:
            problems.append(
                Problem(
                    SETTINGS_FILE,
                    None,
                    f"[accounts] {role}",
                    f'"{code}" is not a posting account in master/accounts',
                )
            )


def check_master(
    m: MasterRows, settings: Settings, first_period: str | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """Every rule of SPEC section 3, in dependency order; the rows of each
    master table as they will be stored. Problems collect in ``m.problems``."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    tables["entity"] = entities(m, settings.currency)
    tables["account"] = accounts(m, settings.accounts.goodwill)
    tables["business_unit"] = business_units(m)
    tables["profit_center"] = profit_centers(m, {str(r[0]) for r in tables["business_unit"]})
    entity_codes = {str(r[0]) for r in tables["entity"]}
    centers = {str(r[0]) for r in tables["profit_center"]}
    tables["cost_center"] = cost_centers(m, entity_codes, centers)
    tables["fx_rate"] = fx_rates(m, settings.currency)
    posting = {str(r[0]) for r in tables["account"] if not r[9]}
    tables["posting_rule"] = posting_rules(m, posting)
    tables["allocation"] = allocations(m, {str(r[0]) for r in tables["cost_center"]}, centers)
    special_accounts(settings, posting, m.problems)
    tables["ownership"] = ownership(
        m, _base_holdings(m, tables["entity"]), _top(tables["entity"]), first_period, settings
    )
    has_urp_account = settings.accounts.unrealised_profit is not None
    tables["ic_margin"] = ic_margins(m, entity_codes, has_urp_account)
    return tables


def _base_holdings(m: MasterRows, entity_rows: list[tuple[object, ...]]) -> dict[str, Holding]:
    """entities.csv as the structure before any ownership.csv row."""
    origin = {r.get("entity"): f"{r.path}:{r.row}" for r in m.rows["entities"]}
    return {
        str(code): Holding(str(parent), Decimal(str(pct)), str(method), origin[str(code)])
        for code, _name, _zh, _currency, parent, pct, method in entity_rows
    }


def _top(entity_rows: list[tuple[object, ...]]) -> str:
    return next((str(r[0]) for r in entity_rows if not r[4]), "")
