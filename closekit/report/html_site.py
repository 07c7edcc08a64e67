"""What every page of the audit site shares: labels, number format, file
names, the jinja2 environment and the page writer.

jinja2 runs with autoescape (every input text is escaped) and StrictUndefined
(a missing value is an error, never an empty cell). Templates and the one
stylesheet live in the top-level ``reports/`` folder, installed as
``closekit/report/templates``.
"""

from __future__ import annotations

import functools
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from closekit import __version__
from closekit.report import labels
from closekit.report.names import slug
from closekit.workspace import Settings

STYLESHEET = "style.css"
IN_FLIGHT = 32  # pages rendered and waiting for the writer thread, at most

# Texts only the site needs; the rest come from labels.py, shared with Excel.
_SITE_TEXTS: dict[str, tuple[str, str]] = {
    "group_currency": ("Group currency", "集团本位币"),
    "footer": (
        "generated from the workspace's finished tables; figures are not recomputed",
        "由已完成的数据表生成；数字未经重算",
    ),
    "draft_short": ("DRAFT", "草稿"),
    "final": ("Final: every check passed", "正式：全部检查通过"),
    "final_warnings": (
        "Final: no check failed, %d warning(s) (see Checks)",
        "正式：无检查未通过，%d 项警告（见检查）",
    ),
    "inputs_note": (
        "Every input file the figures use: the period's, and the earlier periods' (balances "
        "are cumulative and the P&L runs from the fiscal year's start)",
        "报表数字所用的全部输入文件：本期及以前期间的文件（资产负债表余额为累计数，损益为本年累计数）",
    ),
    "close_status": ("Close status", "结账状态"),
    "locked": ("period locked", "期间已锁定"),
    "index": ("Index", "首页"),
    "horizontal": ("Consolidated statements", "合并报表"),
    "vertical": ("Management view", "管理报表"),
    "entities": ("Legal entities", "法人公司"),
    "members": ("Members", "合并范围成员"),
    "parent": ("Parent", "上级公司"),
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
    "manifest_sha256": (
        "SHA-256 of manifest.json (also kept in the workspace's audit log: closekit log)",
        "manifest.json 的 SHA-256(亦记录于工作区审计日志:closekit log)",
    ),
    "audit_log": ("Audit log: locks and reopens", "审计日志:锁定与重新打开"),
    "logged_at": ("Time", "时间"),
    "action": ("Action", "操作"),
    "no_audit_log": (
        "The period was never locked or reopened.",
        "本期从未锁定或重新打开。",
    ),
    "consolidated_note": (
        "Members' translated balances, then the node's consolidation entries",
        "成员折算后余额，加本节点合并分录",
    ),
    "worksheet_note": (
        "Every account of the node: members' translated total, eliminations, top-side, NCI, "
        "consolidated",
        "本节点全部科目：成员折算后合计、抵销、合并层面调整、少数股东权益、合并数",
    ),
    "basis_note": (
        "Share and base: the percentage of the balance (stored, debit positive) an entry was "
        "computed from, where it gives the entry's amount again",
        "比例与基数：分录据以计算的余额（借方为正）及比例，仅在能重现分录金额时列示",
    ),
    "no_member_balance": ("No member has a balance on this account", "成员在本科目无余额"),
    "no_entries": ("No consolidation entries on this account", "本科目无合并分录"),
    "balance_keys": ("Balance by dimensions", "按维度余额"),
    "no_balance": ("No balance at the period end", "期末无余额"),
    "journal_lines": ("Journal lines making up the balance at", "构成余额的分录行，截至"),
    "capped": (
        "Showing the first %d of %s lines; their total and that of all lines are below. All lines:",
        "仅显示前 %d 行（共 %s 行）；下方列示所示行合计及全部行合计。全部明细：",
    ),
    "shown_lines": ("The %d lines shown (of %s)", "所示 %d 行（共 %s 行）"),
    "all_lines": ("All %s lines: the balance", "全部 %s 行：即余额"),
    "also_at": ("also consolidated at", "亦合并于"),
    "amounts": ("Amounts", "金额"),
    "columns": ("Columns of the row", "该行各列"),
    "date": ("Date", "日期"),
    "kind": ("Kind", "类别"),
    "document": ("Document/line", "单据/行"),
    "amount_doc": ("Document amount", "原币金额"),
    "source": ("Source", "来源"),
    "generated": ("generated", "系统生成"),
    "source_rows": ("Source rows", "来源行"),
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
    "code": ("Code", "代码"),
    "closing_rate": ("Closing rate", "期末汇率"),
    "average_rate": ("Average rate", "平均汇率"),
    "complete_statements": (
        "Comprehensive income, changes in equity, cash flows, roll-forwards and flows",
        "综合收益表、所有者权益变动表、现金流量表、变动表及变动明细",
    ),
    "unlinked": (
        "The pack of {period} (out/{period}) was not there when this page was written, so the "
        "{months} figures link nowhere: report {period}, then this period again.",
        "编写本页时 {period} 的报告包（out/{period}）尚不存在，{months} 的数字未加链接："
        "请先生成 {period} 的报告，再重新生成本期报告。",
    ),
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


def templates_dir() -> Path:
    """The site's templates: ``reports/`` of the source tree, installed as
    ``closekit/report/templates`` (see pyproject.toml)."""
    return Path(str(resources.files("closekit.report") / "templates"))


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The templates compiled once per user, not once per report run (about
    0.1 s of CPU a run): jinja2's own cache in a private folder of the
    system's temporary directory, keyed by each template's name and the
    checksum of its source, so an edited template compiles again. None
    (compile every run) where that folder cannot be made safely."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates are read once per report run: no check for an edited
        # file at every page (a stat per page, 1,400 pages at seeds).
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["money"] = money
    env.filters["slug"] = slug
    return env


class Site:
    """Writes pages under ``html/`` with the context every page shares.

    A page is rendered on the caller's thread and written to its file on a
    writer thread while the next page renders: creating 1,600 files costs
    ~0.3 s of waiting on the file system at seeds, which the rendering no
    longer waits for. At most :data:`IN_FLIGHT` pages wait to be written;
    :meth:`close` waits for them (and raises what writing one raised)."""

    def __init__(self, settings: Settings, period: str, html_dir: Path, draft: bool) -> None:
        self.settings = settings
        self.period = period
        self.html_dir = html_dir
        self.draft = draft
        self.env = environment()
        self.written: list[Path] = []
        self._folders: set[Path] = set()
        self._templates: dict[str, jinja2.Template] = {}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-writer")
        self._in_flight: deque[Future[int]] = deque()

    def t(self, key: str) -> str:
        return text(self.settings.language, key)

    def close(self) -> None:
        """Wait for the last page's file; the writer thread ends."""
        try:
            self._wait()
        finally:
            self._writer.shutdown(wait=True)

    def _wait(self, keep: int = 0) -> None:
        """Wait until at most ``keep`` pages are still to be written."""
        while len(self._in_flight) > keep:
            self._in_flight.popleft().result()

    def _template(self, name: str) -> jinja2.Template:
        # jinja2's own cache is keyed by loader and name, checked per call.
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def write(self, relative: str, template: str, title: str, **context: Any) -> None:
        depth = relative.count("/")
        page = self._template(template).render(
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
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        self._wait(IN_FLIGHT - 1)
        self._in_flight.append(self._writer.submit(target.write_bytes, page.encode("utf-8")))
        self.written.append(target)
