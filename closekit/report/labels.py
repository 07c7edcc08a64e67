"""Report labels in English or Chinese (``[output] language``, SPEC section 2).

One table of fixed texts shared by the Excel and HTML reports, and the rule
for names from master data: the Chinese ``name_zh`` when the language is
``zh`` and the file gives one, else ``name``.
"""

from __future__ import annotations

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
    "checked": ("Checked (ic_difference)", "需核对"),
    "status": ("Status", "状态"),
    "detail": ("Detail", "说明"),
    "key_figures": ("Key figures", "主要数据"),
    "members_total": ("Members total", "成员合计"),
    "eliminations": ("Eliminations", "抵销"),
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
