"""The static audit site in ``out/PERIOD/html/`` (SPEC section 10).

Auditors open ``index.html`` offline: one local stylesheet, no script, no
font or CDN. Every statement figure links down, page by page:

    index -> node statement -> node x account (members, eliminations, NCI)
          -> entity x account (balance keys, the period's journal lines)
          -> source file:row (the row's own columns) -> file page (hash, rejects)

Pages are rendered by jinja2 with autoescape and StrictUndefined from the
templates in the top-level ``reports/`` folder, in a fixed order with no
timestamp, so the same close writes the same bytes. Journal lines are capped
per page (:data:`closekit.report.html_data.LINE_CAP`); each capped page says
which ``closekit drill`` command prints the rest.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from closekit import __version__
from closekit.consolidate import consolidation_nodes, key_figures
from closekit.report import html_data as data
from closekit.report import html_management, labels, model
from closekit.report.exports import reject_count
from closekit.workspace import Settings

STYLESHEET = "style.css"

# Texts only the site needs; the rest come from labels.py, shared with Excel.
_SITE_TEXTS: dict[str, tuple[str, str]] = {
    "group_currency": ("Group currency", "集团本位币"),
    "footer": (
        "generated from the workspace's finished tables; figures are not recomputed",
        "由已完成的数据表生成；数字未经重算",
    ),
    "draft_short": ("DRAFT", "草稿"),
    "final": ("Final: every check passed", "正式：全部检查通过"),
    "close_status": ("Close status", "结账状态"),
    "locked": ("period locked", "期间已锁定"),
    "index": ("Index", "首页"),
    "horizontal": ("Consolidated statements", "合并报表"),
    "vertical": ("Management view", "管理报表"),
    "entities": ("Legal entities", "法人公司"),
    "members": ("Members", "合并范围成员"),
    "parent": ("Parent", "上级公司"),
    "method": ("Method", "合并方法"),
    "input_files": ("Input files", "输入文件"),
    "file": ("File", "文件"),
    "module": ("Module", "模块"),
    "read": ("Read", "读取行数"),
    "accepted": ("Accepted", "接受行数"),
    "rejected": ("Rejected", "拒绝行数"),
    "audit_pack": ("Audit pack", "审计资料包"),
    "journal_note": ("the period's journal with lineage", "本期日记账及来源"),
    "rejects_note": ("every rejected row with its reasons", "全部被拒绝的行及原因"),
    "manifest_note": (
        "SHA-256 of every input and output; check it with",
        "全部输入及输出文件的SHA-256；校验命令",
    ),
    "consolidated_note": (
        "Members' translated balances, then the node's consolidation entries",
        "成员折算后余额，加本节点合并分录",
    ),
    "step": ("Step", "步骤"),
    "worksheet_note": (
        "Every account of the node: members' translated total, eliminations, NCI, consolidated",
        "本节点全部科目：成员折算后合计、抵销、少数股东权益、合并数",
    ),
    "ic_elimination": ("Intercompany elimination", "内部往来抵销"),
    "investment": ("Investment elimination", "长期股权投资抵销"),
    "nci_result": ("NCI in results", "少数股东损益"),
    "nci_reserves": ("NCI in reserves", "少数股东权益（储备）"),
    "no_member_balance": ("No member has a balance on this account", "成员在本科目无余额"),
    "no_entries": ("No consolidation entries on this account", "本科目无合并分录"),
    "balance_keys": ("Balance by dimensions", "按维度余额"),
    "no_balance": ("No balance at the period end", "期末无余额"),
    "journal_lines": ("Journal lines making up the balance at", "构成余额的分录行，截至"),
    "capped": (
        "Showing the first %d of %d lines. All lines:",
        "仅显示前 %d 行（共 %d 行）。全部明细：",
    ),
    "date": ("Date", "日期"),
    "kind": ("Kind", "类别"),
    "document": ("Document/line", "单据/行"),
    "amount_doc": ("Document amount", "原币金额"),
    "source": ("Source", "来源"),
    "generated": ("generated", "系统生成"),
    "source_rows": ("Source rows", "来源行"),
    "counterparty": ("Counterparty", "往来单位"),
    "item": ("Item", "品目"),
    "description": ("Description", "摘要"),
    "other_columns": ("Other columns", "其他列"),
    "no_lines": ("No journal lines in the period", "本期无分录"),
    "rejects": ("Rejected rows", "被拒绝的行"),
    "rejects_capped": ("The first %d reasons are shown; all are in", "仅显示前 %d 条；全部见"),
    "row": ("Row", "行号"),
    "column": ("Column", "列"),
    "message": ("Message", "说明"),
    "no_rejects": ("No row of this file was rejected", "本文件无被拒绝的行"),
    "ic_note": (
        "Intercompany pairs per node and plug account: both sides and what remains on the "
        "plug; only plugs with role ic_difference are checked against the tolerance",
        "各节点、各抵销科目的内部往来公司对：双方金额及抵销后余额；仅 ic_difference 科目按容差检查",
    ),
    "no_pairs": ("No intercompany balances to match", "无需核对的内部往来"),
    "rates": ("Rates", "汇率"),
    "fx_note": (
        "Balances by translation rate; CTA makes each entity's translated balance zero",
        "按折算汇率类型的余额；外币报表折算差额使各公司折算后余额为零",
    ),
    "entity_statement": ("Legal entity statements", "法人公司报表"),
    "node_statement": ("Consolidated statements", "合并报表"),
    "nothing": ("Nothing in this period", "本期无数据"),
    "not_checked": ("plain elimination target, not checked", "一般抵销科目，不检查"),
    "code": ("Code", "代码"),
    "closing_rate": ("Closing rate", "期末汇率"),
    "average_rate": ("Average rate", "平均汇率"),
}


def text(language: str, key: str) -> str:
    """A label in the report language: labels.py first, then the site's own."""
    if labels.has_text(key):
        return labels.text(language, key)
    english, chinese = _SITE_TEXTS[key]
    return chinese if language == "zh" else english


def money(value: Decimal | None) -> str:
    """Thousands separators, two decimals, negatives in parentheses."""
    if value is None:
        return ""
    shown = f"{abs(value):,.2f}"
    return f"({shown})" if value < 0 else shown


def slug(code: str) -> str:
    """A code as a file name: ASCII letters, digits, '-', '_' and '.' (not
    leading) kept, every other character written as ``~XX`` hex of its UTF-8
    bytes, so distinct codes never share a page and no code climbs out of
    its folder."""
    out = []
    for n, char in enumerate(code):
        if char.isascii() and (char.isalnum() or char in "-_" or (char == "." and n > 0)):
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out) or "~"


def templates_dir() -> Path:
    """The site's templates: ``reports/`` of the source tree, installed as
    ``closekit/report/templates`` (see pyproject.toml)."""
    return Path(str(resources.files("closekit.report") / "templates"))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = money
    env.filters["slug"] = slug
    return env


class Site:
    """Writes pages under ``html/`` with the context every page shares."""

    def __init__(self, settings: Settings, period: str, html_dir: Path, draft: bool) -> None:
        self.settings = settings
        self.period = period
        self.html_dir = html_dir
        self.draft = draft
        self.env = environment()
        self.written: list[Path] = []

    def t(self, key: str) -> str:
        return text(self.settings.language, key)

    def write(self, relative: str, template: str, title: str, **context: Any) -> None:
        depth = relative.count("/")
        page = self.env.get_template(template).render(
            lang=self.settings.language,
            t=self.t,
            title=title,
            group_name=self.settings.group_name,
            period=self.period,
            currency=self.settings.currency,
            draft=self.draft,
            root="../" * depth,
            version=__version__,
            **context,
        )
        target = self.html_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.encode("utf-8"))
        self.written.append(target)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal("0.00"))


def write_site(
    settings: Settings, con: duckdb.DuckDBPyConnection, period: str, out_dir: Path, draft: bool
) -> list[Path]:
    """Write the whole site under ``out_dir/html`` and return the files written."""
    html_dir = out_dir / "html"
    site = Site(settings, period, html_dir, draft)
    html_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(templates_dir() / STYLESHEET, html_dir / STYLESHEET)
    site.written.append(html_dir / STYLESHEET)

    language = settings.language
    entities = {e.entity: e for e in data.entities(con)}
    accounts = {a.account: a for a in model.account_tree(con)}
    members = data.node_members(con, period)
    node_order = consolidation_nodes(con, period)  # the group first
    top = node_order[0] if node_order else ""

    def entity_name(code: str) -> str:
        e = entities.get(code)
        return labels.name(language, e.name, e.name_zh) if e else code

    def account_name(code: str) -> str:
        a = accounts.get(code)
        return labels.name(language, a.name, a.name_zh) if a else code

    # Which drill pages exist, so that every link points at a written page.
    keys = data.balance_keys(con, period)
    entity_pages = {(k.entity, k.account) for k in keys} | data.ledger_balance_keys(
        con, settings, period
    )
    member_rows = data.member_balances(con, period)
    entry_rows = data.node_entries(con, period)
    node_pages = {(m.node, m.account) for m in member_rows} | {
        (e.node, e.account) for e in entry_rows
    }
    files = data.source_files(con, period)
    lineage = data.source_files(con, period, through=True)
    file_href = {f.path: f"files/{slug(f.path)}.html" for f in lineage}

    def entity_account_href(entity: str, account: str, root: str) -> str:
        if (entity, account) in entity_pages:
            return f"{root}entities/{slug(entity)}/{slug(account)}.html"
        return ""

    _write_index(site, con, entities, members, node_order, entity_name, files, file_href)
    _write_statements(
        site, con, entities, members, top, accounts, entity_name, member_rows, entry_rows,
        node_pages, entity_pages,
    )  # fmt: skip
    _write_node_accounts(
        site, member_rows, entry_rows, entities, entity_name, account_name, entity_account_href
    )
    _write_entity_accounts(
        site, con, keys, entities, entity_name, account_name, entity_pages, file_href
    )
    _write_files(site, con, lineage)
    _write_intercompany(site, con, node_order, node_pages)
    _write_fx(site, con, entity_account_href)
    html_management.write_pages(site, con, entity_pages)
    return sorted(site.written)


def _write_index(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entities: dict[str, data.Entity],
    members: dict[str, list[str]],
    node_order: list[str],
    entity_name: Callable[[str], str],
    files: list[data.SourceFile],
    file_href: dict[str, str],
) -> None:
    site.write(
        "index.html",
        "index.html",
        f"{site.t('summary')} {site.period}",
        checks=data.checks(con, site.period),
        figures=_key_figures(site, con, node_order[0]) if node_order else [],
        locked=data.locked(con, site.period),
        nodes=[
            {"code": n, "name": entity_name(n), "top": n == node_order[0],
             "members": len(members[n]), "href": f"nodes/{slug(n)}.html"}
            for n in node_order
        ],
        entities=[
            {"code": e.entity, "name": entity_name(e.entity), "currency": e.currency,
             "parent": e.parent,
             "ownership": f"{e.ownership_pct.normalize():f}" if e.parent else "",
             "method": e.method, "href": f"entities/{slug(e.entity)}.html"}
            for e in entities.values()
        ],
        files=[{**f._asdict(), "href": file_href[f.path]} for f in files],
        has_rejects=reject_count(con, site.period) > 0,
    )  # fmt: skip


def _node_link(
    node: str,
    account: str,
    node_pages: set[tuple[str, str]],
    worksheet: tuple[model.WorksheetLine, ...],
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
    accounts: dict[str, model.Account],
    entity_name: Callable[[str], str],
    member_rows: list[data.Member],
    entry_rows: list[data.Entry],
    node_pages: set[tuple[str, str]],
    entity_pages: set[tuple[str, str]],
) -> None:
    """Each node's consolidated statements with its worksheet (members'
    translated total, eliminations, NCI, consolidated per account), then each
    entity's statements in functional currency."""
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
        source = model.node_source(con, settings, node, period)
        worksheet = model.consolidation_worksheet(
            tree, language, codes, balances_by_node.get(node, []), entries_by_node.get(node, [])
        )
        site.write(
            f"nodes/{slug(node)}.html",
            "statement.html",
            f"{entity_name(node)} ({node})",
            subtitle=site.t("group") if node == top else site.t("node"),
            statement_currency=settings.currency,
            members=[{"code": c, "href": f"../entities/{slug(c)}.html"} for c in codes],
            balance_sheet=model.balance_sheet(tree, source, period, language, consolidated=True),
            income_statement=model.income_statement(
                tree, source, period, language, nci_profit, consolidated=True
            ),
            worksheet=worksheet,
            link=lambda a, n=node, ws=worksheet: _node_link(n, a, node_pages, ws),
        )
    ledger = model.LedgerBalances(con, settings)  # one journal scan per period, all entities
    for code, entity in entities.items():
        source = model.entity_source(con, settings, code, period, ledger)
        site.write(
            f"entities/{slug(code)}.html",
            "statement.html",
            f"{entity_name(code)} ({code})",
            subtitle=site.t("entity_statement"),
            statement_currency=entity.currency,
            members=[],
            worksheet=[],
            balance_sheet=model.balance_sheet(tree, source, period, language),
            income_statement=model.income_statement(
                tree, source, period, language, nci_profit, consolidated=False
            ),
            link=lambda a, e=code: f"{slug(e)}/{slug(a)}.html" if (e, a) in entity_pages else "",
        )


def _write_node_accounts(
    site: Site,
    member_rows: list[data.Member],
    entry_rows: list[data.Entry],
    entities: dict[str, data.Entity],
    entity_name: Callable[[str], str],
    account_name: Callable[[str], str],
    entity_account_href: Callable[[str, str, str], str],
) -> None:
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
                 or _entity_href(e.entity, entities, root),
                 "partner_href": _entity_href(e.partner, entities, root)}
                for e in page_entries
            ],
            entries_total=entries_total,
            consolidated=members_total + entries_total,
        )  # fmt: skip


def _entity_href(code: str, entities: dict[str, data.Entity], root: str) -> str:
    return f"{root}entities/{slug(code)}.html" if code in entities else ""


def _write_entity_accounts(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    keys: list[data.BalanceKey],
    entities: dict[str, data.Entity],
    entity_name: Callable[[str], str],
    account_name: Callable[[str], str],
    entity_pages: set[tuple[str, str]],
    file_href: dict[str, str],
) -> None:
    file_hrefs = {path: f"../../{href}" for path, href in file_href.items()}
    keys_by_page: dict[tuple[str, str], list[data.BalanceKey]] = {}
    for k in keys:
        keys_by_page.setdefault((k.entity, k.account), []).append(k)
    lines_by_page = data.journal_lines(con, site.settings, site.period)

    def write(page: tuple[str, str], lines: list[data.JournalLine], total: int) -> None:
        entity, account = page
        page_keys = keys_by_page.get(page, [])
        site.write(
            f"entities/{slug(entity)}/{slug(account)}.html",
            "entity_account.html",
            f"{entity} · {account} {account_name(account)}",
            entity=entity,
            entity_href=f"../{slug(entity)}.html",
            functional_currency=entities[entity].currency if entity in entities else "",
            keys=page_keys,
            keys_total=_sum(k.amount for k in page_keys),
            keys_total_group=_sum(k.amount_group for k in page_keys),
            lines=lines,
            file_hrefs=file_hrefs,
            lines_total=_sum(line.amount for line in lines),
            shown=len(lines),
            total=total,
            drill_command=(
                f"closekit drill {site.period} --account {_shell(account)} "
                f"--entity {_shell(entity)} --format csv"
            ),
        )

    done: set[tuple[str, str]] = set()
    for page, lines, total in lines_by_page:
        write(page, lines, total)
        done.add(page)
    for page in sorted(entity_pages - done):
        write(page, [], 0)


def _shell(code: str) -> str:
    """A code as one shell word, quoted only when it needs it."""
    if code and all(c.isalnum() or c in "-_./" for c in code):
        return code
    return "'" + code.replace("'", "'\\''") + "'"


def _write_files(site: Site, con: duckdb.DuckDBPyConnection, files: list[data.SourceFile]) -> None:
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


def _write_intercompany(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    nodes: list[str],
    node_pages: set[tuple[str, str]],
) -> None:
    """Every node's intercompany pairs from :func:`consolidate.intercompany_pairs`."""
    from closekit.consolidate import intercompany_pairs

    settings = site.settings
    pairs = [
        {**asdict(p), "node": node, "node_href": f"nodes/{slug(node)}.html",
         "account_href": f"nodes/{slug(node)}/{slug(p.plug_account)}.html"
         if (node, p.plug_account) in node_pages else f"nodes/{slug(node)}.html",
         "entity_href": f"entities/{slug(p.entity)}.html",
         "partner_href": f"entities/{slug(p.partner)}.html"}
        for node in nodes
        for p in intercompany_pairs(con, settings, site.period, node)
    ]  # fmt: skip
    site.write(
        "intercompany.html", "intercompany.html", site.t("intercompany"),
        pairs=pairs, tolerance=settings.ic_tolerance,
    )  # fmt: skip


def _write_fx(
    site: Site,
    con: duckdb.DuckDBPyConnection,
    entity_account_href: Callable[[str, str, str], str],
) -> None:
    """Rates and every entity's translation by account, CTA last
    (:func:`closekit.translate.translation_summary`)."""
    from closekit.translate import translation_summary

    site.write(
        "fx.html",
        "fx.html",
        site.t("fx_translation"),
        rates=data.rates(con, site.period),
        translations=[
            {**asdict(line), "href": entity_account_href(line.entity, line.account, ""),
             "entity_href": f"entities/{slug(line.entity)}.html"}
            for line in translation_summary(con, site.settings, site.period)
        ],
    )  # fmt: skip
