"""The rules of master data (SPEC section 3), each a small function.

Master data is small (thousands of rows), so it is validated in Python where
each rule reads like the SPEC sentence it enforces; every problem is
collected in :class:`MasterRows` and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from closekit.errors import PeriodError, Problem
from closekit.periods import parse_period
from closekit.workspace import SETTINGS_FILE, Settings

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")
DEFAULT_RATE = {
    "asset": "closing",
    "liability": "closing",
    "equity": "historical",
    "revenue": "average",
    "expense": "average",
}
RATES = ("closing", "average", "historical")
ROLES = ("", "share_capital", "investment", "ic_difference")
METHODS = ("full", "equity", "none")
SUBLEDGERS = ("sales", "purchasing", "inventory", "expenses")
MODULE_AMOUNTS = {
    "sales": ("net", "tax", "gross"),
    "purchasing": ("net", "tax", "gross"),
    "expenses": ("net", "tax", "gross"),
    "inventory": ("value",),
}
RATE_PLACES = 10


@dataclass(frozen=True)
class Row:
    """One master record: where it came from and its trimmed values by column."""

    path: str
    row: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.path, self.row, column, message)


@dataclass
class MasterRows:
    """Master records by file name, and what is wrong with them so far."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---- small value rules -----------------------------------------------------


def _decimal(text: str) -> Decimal | None:
    """A plain decimal (SPEC section 1): no thousands separators, no exponent."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or body.count(".") > 1 or not body.replace(".", "").isdigit() or body == ".":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _currency(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None


def _unique(rows: list[Row], column: str, problems: list[Problem]) -> dict[str, Row]:
    """Codes must be present and unique; returns the first row of each code."""
    seen: dict[str, Row] = {}
    for row in rows:
        code = row.get(column)
        if not code:
            problems.append(row.problem(column, "is required"))
        elif code in seen:
            problems.append(
                row.problem(column, f'"{code}" appears twice (first on row {seen[code].row})')
            )
        else:
            seen[code] = row
    return seen


def _tree(nodes: dict[str, Row], column: str, label: str, problems: list[Problem]) -> None:
    """Parents must exist and the parent relation must not loop."""
    for row in nodes.values():
        parent = row.get(column)
        if parent and parent not in nodes:
            problems.append(row.problem(column, f'unknown {label} "{parent}"'))
    reported: set[str] = set()
    for start in nodes:
        path: list[str] = []
        code = start
        while code and code in nodes and code not in path:
            path.append(code)
            code = nodes[code].get(column)
        if code and code in path and code not in reported:
            loop = path[path.index(code) :]
            reported.update(loop)
            row = nodes[code]
            problems.append(
                row.problem(column, f"{label} parents form a cycle: {' -> '.join([*loop, code])}")
            )


def _check_enum(
    row: Row,
    column: str,
    allowed: tuple[str, ...],
    problems: list[Problem],
    default: str | None = None,
) -> str:
    value = row.get(column).lower()
    if not value and default is not None:
        return default
    if value not in allowed:
        choices = " | ".join(a for a in allowed if a)
        problems.append(row.problem(column, f'"{row.get(column)}" is not one of {choices}'))
    return value


# ---- the rules of SPEC section 3 ------------------------------------------


def entities(m: MasterRows, group_currency: str) -> list[tuple[object, ...]]:
    rows, problems = m.rows["entities"], m.problems
    nodes = _unique(rows, "entity", problems)
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
    _tree(nodes, "parent", "entity", problems)
    out: list[tuple[object, ...]] = []
    for code, row in nodes.items():
        currency = _currency(row.get("currency"))
        if currency is None:
            problems.append(
                row.problem(
                    "currency", f'"{row.get("currency")}" is not a three-letter currency code'
                )
            )
        method = _check_enum(row, "method", METHODS, problems, default="full")
        if method in ("equity", "none"):
            m.warnings.append(
                f"{row.path}:{row.row} method: entity {code} has method {method}; it and the "
                "entities below it are not consolidated line by line"
            )
        pct = Decimal(100)
        if row.get("parent"):
            value = _decimal(row.get("ownership_pct"))
            if value is None:
                problems.append(
                    row.problem(
                        "ownership_pct",
                        f'"{row.get("ownership_pct")}" is not a number (0 < x <= 100)',
                    )
                )
            elif not Decimal(0) < value <= Decimal(100):
                problems.append(row.problem("ownership_pct", f"{value} is not within 0 < x <= 100"))
            elif _places(value) > 8:
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


def accounts(m: MasterRows) -> list[tuple[object, ...]]:
    rows, problems = m.rows["accounts"], m.problems
    nodes = _unique(rows, "account", problems)
    _tree(nodes, "parent", "account", problems)
    parents = {r.get("parent") for r in nodes.values()}
    out: list[list[object]] = []
    for code, row in nodes.items():
        kind = _check_enum(row, "type", ACCOUNT_TYPES, problems)
        rate = _check_enum(row, "rate", RATES, problems, default=DEFAULT_RATE.get(kind, "closing"))
        role = _check_enum(row, "role", ROLES, problems)
        revalue = _check_enum(row, "revalue", ("yes", "no"), problems, default="no") == "yes"
        plug = row.get("ic_plug")
        if plug and plug not in nodes:
            problems.append(row.problem("ic_plug", f'unknown account "{plug}"'))
        elif plug and plug in parents:
            problems.append(
                row.problem(
                    "ic_plug", f'plug account "{plug}" is a summary account; nothing posts to it'
                )
            )
        if role == "investment" and plug:
            problems.append(
                row.problem(
                    "ic_plug",
                    "an investment account is eliminated against share capital, "
                    "not through an ic_plug",
                )
            )
        if revalue and rate != "closing":
            problems.append(
                row.problem("revalue", f"only closing-rate accounts are revalued (rate is {rate})")
            )
        out.append(
            [
                code,
                row.get("name"),
                row.get("name_zh"),
                kind,
                row.get("parent"),
                rate,
                plug,
                role,
                revalue,
                code in parents,
                0,
            ]
        )
    # sort_key: depth-first order of the hierarchy, children in code order,
    # so statements list each summary account above its children.
    children: dict[str, list[str]] = {}
    for code, row in nodes.items():
        parent = row.get("parent")
        children.setdefault(parent if parent in nodes else "", []).append(code)
    order: dict[str, int] = {}
    stack = sorted(children.get("", []), reverse=True)
    while stack:
        code = stack.pop()
        if code in order:
            continue
        order[code] = len(order) + 1
        stack.extend(sorted(children.get(code, []), reverse=True))
    for record in out:
        record[10] = order.get(str(record[0]), len(order) + 1)
    return [tuple(r) for r in out]


def business_units(m: MasterRows) -> list[tuple[object, ...]]:
    nodes = _unique(m.rows["business_units"], "business_unit", m.problems)
    _tree(nodes, "parent", "business unit", m.problems)
    return [(c, r.get("name"), r.get("name_zh"), r.get("parent")) for c, r in nodes.items()]


def profit_centers(m: MasterRows, units: set[str]) -> list[tuple[object, ...]]:
    nodes = _unique(m.rows["profit_centers"], "profit_center", m.problems)
    for row in nodes.values():
        unit = row.get("business_unit")
        if not unit:
            m.problems.append(row.problem("business_unit", "is required"))
        elif unit not in units:
            m.problems.append(row.problem("business_unit", f'unknown business unit "{unit}"'))
    return [(c, r.get("name"), r.get("name_zh"), r.get("business_unit")) for c, r in nodes.items()]


def cost_centers(m: MasterRows, entities: set[str], centers: set[str]) -> list[tuple[object, ...]]:
    nodes = _unique(m.rows["cost_centers"], "cost_center", m.problems)
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
    value = _decimal(text)
    if value is None:
        problems.append(row.problem(column, f'"{text}" is not a number'))
    elif value <= 0:
        problems.append(row.problem(column, f"{text} is not positive"))
    elif _places(value) > RATE_PLACES:
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
        currency = _currency(row.get("currency"))
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
        module = _check_enum(row, "module", SUBLEDGERS, m.problems)
        kind = row.get("kind")
        if not kind:
            m.problems.append(row.problem("kind", "is required"))
        flag = _check_enum(row, "intercompany", ("yes", "no", "any"), m.problems)
        side = _check_enum(row, "side", ("debit", "credit"), m.problems)
        amount = _check_enum(row, "amount", ("net", "tax", "gross", "value"), m.problems)
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
        basis = _check_enum(row, "basis", ("fixed", "revenue"), m.problems)
        share: Decimal | None = None
        if basis == "fixed":
            share = _decimal(row.get("share"))
            if (
                share is None
                or not Decimal(0) < share <= Decimal(1)
                or _places(share) > RATE_PLACES
            ):
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
        if code not in posting:
            problems.append(
                Problem(
                    SETTINGS_FILE,
                    None,
                    f"[accounts] {role}",
                    f'"{code}" is not a posting account in master/accounts',
                )
            )


def check_master(m: MasterRows, settings: Settings) -> dict[str, list[tuple[object, ...]]]:
    """Every rule of SPEC section 3, in dependency order; the rows of each
    master table as they will be stored. Problems collect in ``m.problems``."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    tables["entity"] = entities(m, settings.currency)
    tables["account"] = accounts(m)
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
    return tables
