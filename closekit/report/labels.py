"""Report labels in English or Chinese (``[output] language``, SPEC section 2).

One table of fixed texts shared by the Excel and HTML reports, and the rule
for names from master data: the Chinese ``name_zh`` when the language is
``zh`` and the file gives one, else ``name``.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Final

# key -> (English, Chinese)
_TEXTS: Final[dict[str, tuple[str, str]]] = {
    # statements and their columns
    "balance_sheet": ("Balance Sheet", "资产负债表"),
    "income_statement": ("Income Statement", "利润表"),
    "trial_balance": ("Trial Balance", "试算平衡表"),
    "month": ("Month", "本月"),
    "ytd": ("Year to date", "本年累计"),
    "prior_month": ("Prior month", "上月"),
    "prior_year_ytd": ("Prior year to date", "上年同期累计"),
    "period_end": ("Period end", "期末"),
    "prior_month_end": ("Prior month end", "上月末"),
    "prior_year_end": ("Prior fiscal year end", "上年末"),
    "total_assets": ("Total assets", "资产总计"),
    "total_liabilities": ("Total liabilities", "负债合计"),
    "total_equity": ("Total equity", "所有者权益合计"),
    "total_liabilities_equity": ("Total liabilities and equity", "负债和所有者权益总计"),
    "current_year_result": ("Profit for the year to date", "本年利润"),
    "current_year_owners": (
        "Profit for the year to date attributable to owners of the parent",
        "归属于母公司所有者的本年利润",
    ),
    "equity_owners": ("Equity attributable to owners of the parent", "归属于母公司所有者权益合计"),
    "month_unknown": (
        "{}: the first period in closekit. The members' opening rows bring the year to date "
        "before it as one amount, so the consolidated month alone is not known; each "
        "entity's own statements show its month.",
        "{}：closekit 的首个期间。成员公司的期初数据将此前的本年累计数作为一个金额结转，"
        "因此无法单独得出合并口径的当月数；各公司自身报表列示其当月数。",
    ),
    "before_first": (
        "{}: before closekit's first period. Its opening rows bring the year to date before "
        "it as one amount, so this month alone is not known.",
        "{}：早于 closekit 的首个期间。期初数据将此前的本年累计数作为一个金额结转，"
        "无法单独得出该月数。",
    ),
    "opening_unknown": (
        "{}: the balances before the first period, brought forward by the members' opening "
        "rows, were never consolidated.",
        "{}：首个期间之前的余额由成员公司的期初数据结转，未经合并。",
    ),
    "profit_for_period": ("Profit for the period", "净利润"),
    "attributable_owners": ("Attributable to owners of the parent", "归属于母公司所有者的净利润"),
    "attributable_nci": ("Attributable to non-controlling interests", "少数股东损益"),
    # common headers
    "account": ("Account", "科目"),
    "name": ("Name", "名称"),
    "type": ("Type", "类型"),
    "debit": ("Debit", "借方"),
    "credit": ("Credit", "贷方"),
    "balance": ("Balance", "余额"),
    "total": ("Total", "合计"),
    "difference": ("Difference", "差额"),
    "entity": ("Entity", "公司"),
    "partner": ("Partner", "往来方"),
    "currency": ("Currency", "币种"),
    "period": ("Period", "期间"),
    "group": ("Group", "集团"),
    "node": ("Consolidation node", "合并节点"),
    "signed_note": (
        "Amounts signed: debit positive, credit negative",
        "金额带符号：借方为正，贷方为负",
    ),
    "presented_note": (
        "Revenue, liabilities and equity presented as positive",
        "收入、负债及所有者权益以正数列示",
    ),
    "page_of": ("Page &P of &N", "第 &P 页，共 &N 页"),  # Excel page header/footer codes
    "draft": (
        "DRAFT — a check of this close failed (see Checks)",
        "草稿 — 本期结账有检查未通过（见检查）",
    ),
    # group / node workbook
    "summary": ("Summary", "摘要"),
    "worksheet": ("Worksheet", "合并工作底稿"),
    "intercompany": ("Intercompany", "内部往来"),
    "fx_translation": ("FX Translation", "外币折算"),
    "checks": ("Checks", "检查"),
    "check": ("Check", "检查项"),
    "ic_checked": ("Checked", "需核对"),
    "ic_explanation": ("Explanation", "说明"),
    "ic_note_target": (
        "Elimination target, not a matching account: the remainder is the elimination "
        "itself, not a difference (see the note below)",
        "抵销目标科目，非核对科目：余额为抵销本身，并非差异（见下方说明）",
    ),
    "ic_note_one_sided": (
        "Booked by one side only: the partner has not booked its side",
        "仅一方入账：对方尚未入账",
    ),
    "ic_note_exceeds": (
        "The two sides differ by more than the tolerance",
        "双方差额超过容差",
    ),
    "ic_sheet_note": (
        "Entity side and partner side: what each entity's intercompany balances with the "
        "other put on the plug account when eliminated (SPEC 7.2); the difference is what "
        "remains. Only plug accounts with role ic_difference are matching accounts, checked "
        "against the tolerance (check ic_matched). On any other plug account the remainder is "
        "the elimination itself: intercompany sales eliminated against cost of sales while the "
        "buyer still holds the goods in stock, or dividend income against retained earnings.",
        "本方金额与对方金额：双方内部往来余额抵销时计入抵销差额科目的金额；差额为抵销后余额。"
        "仅 ic_difference 角色的科目为核对科目，按容差检查（ic_matched）。其他抵销科目上的余额"
        "即抵销本身：如买方尚持有存货时内部销售收入抵销至营业成本，或股利收入抵销至未分配利润。",
    ),
    "months": ("Months", "期间"),
    "at_rate": ("at the month's rate", "按当月汇率"),
    "own_amounts": ("own group amounts", "自带集团金额"),
    "fx_sheet_note": (
        "Closing-rate balances are functional x closing rate; average- and historical-rate "
        "balances are the sum of their months, each month's movement at that month's average "
        "rate, except lines that keep their own group amount (opening rows, journals with "
        "amount_group). Rounding is per balance key (partner, profit and cost center), so an "
        "account may differ from functional x rate by a few cents. The CTA makes each "
        "entity's translated balance zero.",
        "期末汇率科目＝记账本位币金额×期末汇率；平均汇率及历史汇率科目为各月之和，"
        "各月发生额按当月平均汇率折算，自带集团金额的分录（期初数据、带 amount_group 的凭证）除外。"
        "按余额键（往来方、利润中心、成本中心）四舍五入，故科目合计与本位币×汇率可能相差几分。"
        "外币报表折算差额使各公司折算后余额为零。",
    ),
    "fx_at_par": (
        "Members in the group currency ({}) are not translated: {}.",
        "以集团本位币（{}）记账的成员无需折算：{}。",
    ),
    "consolidation_entries": ("Consolidation Entries", "合并分录"),
    "step": ("Step", "步骤"),
    "basis_amount": ("Base", "基数"),
    "entries_note": (
        "Each consolidation entry of the node by step, signed debit positive; each step's "
        "entries sum to zero. Share and base: the percentage of the balance (stored, debit "
        "positive) the entry was computed from, shown where it gives the amount again (to the "
        "cents of rounding per balance key).",
        "本节点各步骤的合并分录，借方为正；每一步骤的分录合计为零。比例与基数：分录据以计算的"
        "余额（借方为正）及比例，仅在能重现分录金额时列示（按余额键四舍五入，可能相差几分）。",
    ),
    "no_node_entries": ("No consolidation entries", "无合并分录"),
    "step_ic_elimination": ("Intercompany elimination", "内部往来抵销"),
    "step_investment": ("Investment elimination", "长期股权投资抵销"),
    "step_nci_result": ("NCI in results", "少数股东损益"),
    "step_nci_reserves": ("NCI in reserves", "少数股东权益（储备）"),
    "ic_documents": ("IC documents", "内部往来单据核对"),
    "ic_ref": ("IC reference", "内部往来单据号"),
    "ic_status": ("Status", "核对状态"),
    "ic_date": ("Date", "日期"),
    "ic_age": ("Age (days)", "账龄（天）"),
    "ic_missing": ("missing at", "未入账方"),
    "ic_entity_docs": ("Entity's documents", "本方单据"),
    "ic_partner_docs": ("Partner's documents", "对方单据"),
    "ic_entity_doc_amount": ("Entity, document currency", "本方（原币）"),
    "ic_partner_doc_amount": ("Partner, document currency", "对方（原币）"),
    "ic_difference_doc": ("Difference, document currency", "差额（原币）"),
    "ic_documents_note": (
        "Per pair and matching plug account, every intra-group document of either side by its "
        "IC reference: matched, amount_differs or one_side_only, with its date and age at the "
        "period end; then each side's lines not based on a document (journals, opening, "
        "revaluation, rounding). Group-currency amounts are measured as consolidation measures "
        "the balances they sit in, so each pair's lines add up to its remainder on the plug "
        "(the total row).",
        "按内部往来对及抵销差额科目，列示双方每张内部单据（按内部往来单据号）：已匹配、金额不符或"
        "仅一方入账，并列日期及期末账龄；其后为各方非单据形成的金额（手工分录、期初、重估、尾差）。"
        "记账本位币金额按合并时对余额的计量方法计算，故每对的各行合计等于抵销差额科目上的余额（合计行）。",
    ),
    "step_urp": ("Unrealised profit in inventory", "存货中未实现内部利润"),
    "step_topside": ("Top-side journals", "合并层面调整分录"),
    "method": ("Method", "合并方法"),
    "status_member": ("Consolidated line by line", "逐行合并"),
    "status_equity": (
        "Not consolidated line by line: method equity",
        "不逐行合并：权益法",
    ),
    "status_none": ("Not consolidated: method none", "不合并：方法为 none"),
    "status_below": (
        "Not consolidated: held through {}, which is not consolidated line by line",
        "不合并：通过 {} 持有，该公司不逐行合并",
    ),
    "no_books": (
        "no books: no journal lines in closekit through {} (no ledger files of its own), so "
        "its statements are empty",
        "无账簿：截至 {} 在 closekit 中无分录（未载入其账簿文件），其报表为空",
    ),
    "status": ("Status", "状态"),
    "detail": ("Detail", "说明"),
    "key_figures": ("Key figures", "主要数据"),
    "members_total": ("Members total", "成员合计"),
    "eliminations": ("Eliminations", "抵销"),
    "topside": ("Top-side", "合并层面调整"),
    "nci": ("NCI", "少数股东权益"),
    "consolidated": ("Consolidated", "合并数"),
    "side_entity": ("Entity side", "本方金额"),
    "side_partner": ("Partner side", "对方金额"),
    "plug_account": ("Plug account", "抵销差额科目"),
    "functional": ("Functional", "记账本位币金额"),
    "rate_kind": ("Rate type", "汇率类型"),
    "translated": ("Translated", "折算后金额"),
    "cta": ("CTA", "外币报表折算差额"),
    "rate": ("Rate", "汇率"),
    "closing_rate": ("Closing rate", "期末汇率"),
    "average_rate": ("Average rate", "平均汇率"),
    "parent_entity": ("Parent", "母公司"),
    "ownership": ("Ownership", "持股比例"),
    "effective_ownership": ("Effective ownership", "实际持股比例"),
    "tolerance": ("Tolerance", "容差"),
    "within_tolerance": ("Within tolerance", "在容差内"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "pass": ("pass", "通过"),
    "warn": ("warn", "警告"),
    "fail": ("fail", "未通过"),
    "net_income": ("Profit for the year to date", "本年累计净利润"),
    "revenue": ("Revenue", "收入"),
    "no_checks": ("No checks recorded for this period", "本期尚无检查记录"),
    # a node's workbook: the findings about its subtree (docs/reports.md)
    "not_here": ("No finding about this node's entities", "本节点所属主体无相关问题"),
    "checks_in_group": (
        "Details of every check for the whole group: group.xlsx",
        "全集团各项检查的详细信息见 group.xlsx",
    ),
    # business units workbook
    "business_units": ("Business Units", "事业部"),
    "profit_centers": ("Profit Centers", "利润中心"),
    "cost_centers": ("Cost Centers", "成本中心"),
    "allocations": ("Allocations", "费用分摊"),
    "business_unit": ("Business unit", "事业部"),
    "profit_center": ("Profit center", "利润中心"),
    "cost_center": ("Cost center", "成本中心"),
    "department": ("Department", "部门"),
    "cycle": ("Cycle", "分摊循环"),
    "sender": ("Sender", "发送方"),
    "receiver": ("Receiver", "接收方"),
    "amount": ("Amount", "金额"),
    "share": ("Share", "比例"),
    "basis": ("Basis", "分摊基础"),
    "unallocated": ("Unallocated", "未分摊"),
    "unassigned": ("Unassigned", "未分配"),
    "expense_cost": ("Expense", "费用"),
    "result": ("Result", "利润"),
    "sender_entity": ("Sender entity", "发送方公司"),
    "sender_cost": ("Sender cost", "发送方成本"),
    "management_pnl": (
        "Management P&L by business unit and profit center",
        "按事业部及利润中心的管理损益",
    ),
    "cost_by_department": (
        "Cost by department, cost center and account",
        "按部门、成本中心及科目的费用",
    ),
    "management_note": (
        "Revenue and result positive when income; expense and allocations positive when cost",
        "收入与利润以收益为正；费用与分摊以成本为正",
    ),
    "cost_note": (
        "Cost signed debit positive, allocations included; group currency",
        "成本借方为正，含分摊；集团本位币",
    ),
    "warnings": ("Warnings", "警告"),
}

# Account types as a trial balance shows them (SPEC: type lower-case).
_TYPES: Final[dict[str, str]] = {
    "asset": "资产",
    "liability": "负债",
    "equity": "所有者权益",
    "revenue": "收入",
    "expense": "费用",
}


def text(language: str, key: str) -> str:
    """The fixed text ``key`` in ``language`` (``en`` or ``zh``)."""
    english, chinese = _TEXTS[key]
    return chinese if language == "zh" else english


def has_text(key: str) -> bool:
    return key in _TEXTS


def step(language: str, code: str) -> str:
    """A consolidation step's name (``consolidation_entry.step``); a step
    these labels do not know yet shows as its code."""
    key = f"step_{code}"
    return text(language, key) if key in _TEXTS else code


def ic_note(language: str, checked: bool, one_sided: bool, within: bool) -> str:
    """Why an intercompany pair's row is what it is (SPEC 7.2): an
    elimination target, booked by one side only, or beyond the tolerance."""
    if not checked:
        return text(language, "ic_note_target")
    if one_sided:
        return text(language, "ic_note_one_sided")
    return "" if within else text(language, "ic_note_exceeds")


def name(language: str, english: str, chinese: str) -> str:
    """A master-data name: ``name_zh`` when reporting in Chinese and given."""
    return chinese if language == "zh" and chinese else english


# Translation rate kinds (SPEC 7.1) as the FX Translation sheet shows them.
_RATE_KINDS: Final[dict[str, str]] = {
    "closing": "期末汇率",
    "average": "平均汇率",
    "historical": "历史汇率",
    "roll": "以前年度利润结转",
    "cta": "折算差额",
}


def rate_kind(language: str, kind: str) -> str:
    """A translation rate kind (``closing`` ...) in the report language."""
    return _RATE_KINDS.get(kind, kind) if language == "zh" else kind


def account_type(language: str, account_type: str) -> str:
    """An account type (``asset`` ...) as shown in a trial balance."""
    return _TYPES.get(account_type, account_type) if language == "zh" else account_type


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _year_month(period: str) -> tuple[int, int]:
    return int(period[:4]), int(period[5:7])


def months(language: str, first: str, last: str) -> str:
    """The months ``first`` through ``last`` (``YYYY-MM``) as a reader says
    them: ``Nov 2026``, ``Jan–Nov 2026``, ``Dec 2025–Nov 2026``
    (``2026年11月``, ``2026年1–11月``, ``2025年12月–2026年11月``)."""
    (y1, m1), (y2, m2) = _year_month(first), _year_month(last)
    if language == "zh":
        if first == last:
            return f"{y2}年{m2}月"
        if y1 == y2:
            return f"{y2}年{m1}–{m2}月"
        return f"{y1}年{m1}月–{y2}年{m2}月"
    if first == last:
        return f"{_MONTHS[m2 - 1]} {y2}"
    if y1 == y2:
        return f"{_MONTHS[m1 - 1]}–{_MONTHS[m2 - 1]} {y2}"
    return f"{_MONTHS[m1 - 1]} {y1}–{_MONTHS[m2 - 1]} {y2}"


def month_end(language: str, period: str) -> str:
    """The last day of ``period``: ``30 Nov 2026`` (``2026年11月30日``)."""
    year, month = _year_month(period)
    day = calendar.monthrange(year, month)[1]
    if language == "zh":
        return f"{year}年{month}月{day}日"
    return f"{day} {_MONTHS[month - 1]} {year}"


# A decimal with exactly two places (an amount) inside a check's detail.
_AMOUNT = re.compile(r"(?<![\d.,])-?\d+\.\d{2}(?![\d.])")


def readable_detail(text: str) -> str:
    """A check's detail with its amounts as money (thousands separators):
    ``105350919.09`` becomes ``105,350,919.09``; counts, codes and periods
    are left as they are."""
    return _AMOUNT.sub(lambda m: f"{Decimal(m.group()):,.2f}", text)
