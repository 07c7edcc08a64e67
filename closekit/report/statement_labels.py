"""The complete statements' words in the report language (SPEC 19.2, ``[output]
language``): the row and column labels of comprehensive income, changes in
equity, cash flows, the roll-forwards and the flows.

:mod:`closekit.statements` names every line with a stable id and an English
label; this module gives the Chinese one (the English label is kept as the
statements give it). A cash-flow line of one account shows the account's
``name_zh`` (master data) when it has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from closekit.report import labels

if TYPE_CHECKING:
    import duckdb

ROLL_TITLES: Final = {
    "nci": "Non-controlling interests per subsidiary",
    "goodwill": "Goodwill per acquisition",
    "cta": "Cumulative translation adjustment per entity",
}

# (kind, line id) -> Chinese. Kinds: income, equity, cash, section, net,
# cash_total, roll, detail, flow, head, note, title (the site's page).
_ZH: Final[dict[tuple[str, str], str]] = {
    # statement of profit or loss and other comprehensive income (IAS 1.82A)
    ("income", "profit"): "净利润",
    ("income", "keep_heading"): "不能重分类进损益的其他综合收益",
    ("income", "oci_keep"): "其他综合收益（标记为 keep 的科目）",
    ("income", "recycle_heading"): "将重分类进损益的其他综合收益",
    ("income", "translation"): "外币财务报表折算差额",
    ("income", "associates_oci"): "按权益法享有的联营企业其他综合收益份额",
    ("income", "reclassified"): "处置境外经营时重分类进损益的折算差额",
    ("income", "oci_recycle"): "其他综合收益（标记为 recycle 的科目）",
    ("income", "oci"): "其他综合收益合计",
    ("income", "comprehensive"): "综合收益总额",
    # statement of changes in equity (IAS 1.106): columns, then rows
    ("equity_column", "share_capital"): "实收资本",
    ("equity_column", "other_reserves"): "其他储备",
    ("equity_column", "translation_reserve"): "外币报表折算差额",
    ("equity_column", "retained_earnings"): "未分配利润",
    ("equity_column", "owners"): "归属于母公司所有者权益合计",
    ("equity_column", "nci"): "少数股东权益",
    ("equity_column", "total"): "所有者权益合计",
    ("equity", "first_opening"): "期初余额（首个期间）",
    ("equity", "profit"): "净利润",
    ("equity", "oci"): "其他综合收益",
    ("equity", "translation"): "外币财务报表折算差额",
    ("equity", "reclassified"): "处置境外经营时重分类进损益的折算差额",
    ("equity", "comprehensive"): "综合收益总额",
    ("equity", "capital"): "所有者投入资本",
    ("equity", "dividend_owners"): "对母公司所有者的分配",
    ("equity", "dividend_nci"): "对少数股东的分配",
    ("equity", "ownership_change"): "子公司持股比例变动",
    ("equity", "acquisition"): "购买子公司",
    ("equity", "disposal"): "处置子公司",
    ("equity", "movement"): "其他变动",
    # statement of cash flows (IAS 7)
    ("section", "operating"): "经营活动产生的现金流量",
    ("section", "investing"): "投资活动产生的现金流量",
    ("section", "financing"): "筹资活动产生的现金流量",
    ("section", "fx"): "汇率变动对现金及现金等价物的影响",
    ("net", "operating"): "经营活动产生的现金流量净额",
    ("net", "investing"): "投资活动产生的现金流量净额",
    ("net", "financing"): "筹资活动产生的现金流量净额",
    ("cash", "profit"): "净利润",
    ("cash", "associates"): "按权益法确认的联营企业投资收益（扣除收到的股利，非现金）",
    ("cash", "cash_revaluation"): "现金汇兑损益（重估）",
    ("cash", "oci"): "其他综合收益（非现金）",
    ("cash", "event_gains"): "收购及处置子公司的利得（非现金）",
    ("cash", "acquisition"): "取得子公司支付的现金净额",
    ("cash", "disposal"): "处置子公司收到的现金净额",
    ("cash", "capital"): "吸收投资收到的现金",
    ("cash", "dividend"): "向母公司所有者分配股利支付的现金",
    ("cash", "dividend_nci"): "子公司向少数股东分配股利支付的现金",
    ("cash", "ownership_change"): "与少数股东的交易",
    ("cash", "equity"): "其他权益变动",
    ("cash", "cash_translation"): "汇率变动对现金及现金等价物的影响",
    ("cash", "rates"): "按不同汇率计量的差额",
    ("cash_total", "change"): "现金及现金等价物净增加额",
    ("cash_total", "beginning"): "期初现金及现金等价物余额",
    ("cash_total", "end"): "期末现金及现金等价物余额",
    # roll-forwards
    ("roll", "nci"): "少数股东权益（按子公司）",
    ("roll", "goodwill"): "商誉（按收购）",
    ("roll", "cta"): "外币报表折算差额（按公司）",
    ("roll", "none"): "无",
    ("detail", "owners"): "归属于母公司所有者",
    ("detail", "non-controlling interests"): "少数股东",
    ("detail", "total"): "合计",
    # flows (SPEC 19.1) and the flows sheet's columns
    ("flow", "opening"): "期初余额",
    ("flow", "profit"): "净利润",
    ("flow", "oci"): "其他综合收益",
    ("flow", "translation"): "折算差额",
    ("flow", "acquisition"): "购买子公司",
    ("flow", "disposal"): "处置子公司",
    ("flow", "ownership_change"): "持股比例变动",
    ("flow", "dividend"): "股利",
    ("flow", "capital"): "资本投入",
    ("flow", "movement"): "其他变动",
    ("flow", "closing"): "期末余额",
    ("head", "entity"): "公司",
    ("head", "account"): "科目",
    ("head", "partner"): "往来方",
    ("head", "flow"): "变动类型",
    ("head", "amount"): "金额",
    ("head", "owners"): "{}：归属于母公司所有者",
    ("head", "nci"): "{}：少数股东",
    # the site's statements page: titles and notes
    ("title", "page"): "报表",
    ("title", "income"): "综合收益表",
    ("title", "income_note"): "以贷方为正列示。",
    ("title", "equity"): "所有者权益变动表",
    ("title", "equity_note"): "《国际会计准则第1号》第106段 · 以贷方为正列示。",
    ("title", "cash"): "现金流量表",
    ("title", "cash_note"): "《国际会计准则第7号》，间接法 · 现金流入为正。",
    ("title", "roll"): "变动表",
    ("title", "flows"): "变动明细",
    ("title", "flows_note"): "SPEC 19.1 · 借方为正 · 每个余额键期初余额加各项变动等于期末余额。",
    # notes under the sheets
    ("note", "income"): "以贷方为正列示（利润、收益为正）。折算差额为外币报表折算差额科目及其"
    "少数股东份额的 translation 变动（closekit flows PERIOD --account CTA）。",
    ("note", "equity"): "《国际会计准则第1号》第106段。以贷方为正列示。各列期末数等于资产负债表"
    "所列权益（检查 equity_statement）。",
    ("note", "cash"): "《国际会计准则第7号》，间接法；现金流入为正。各行为其现金流量类别"
    "（accounts.csv 的 cash_flow）科目的变动的相反数；报表合计等于现金科目余额的变动"
    "（检查 cash_flow）。",
    ("note", "roll"): "少数股东权益及外币报表折算差额以贷方为正，商誉以借方为正。",
    ("note", "flows"): "SPEC 19.1；借方为正；每个余额键期初余额加各项变动等于期末余额"
    "（检查 flows_tie）。",
}


@dataclass(frozen=True)
class StatementWords:
    """The words of the complete statements in ``language``; ``accounts``
    maps an account to its ``name_zh`` (for the one-account cash-flow lines)."""

    language: str
    accounts: dict[str, str] = field(default_factory=dict)

    def __call__(self, kind: str, key: str, english: str) -> str:
        """The label of line ``key`` of ``kind``: Chinese when the report is
        and one is known, else ``english``."""
        if self.language != "zh":
            return english
        return _ZH.get((kind, key), english)

    def cash_line(self, section: str, line: str, english: str) -> str:
        """A cash-flow line: a one-account line (its id is the account)
        shows the account's Chinese name, "变动" after it on an operating
        line (the change in a working-capital balance)."""
        if self.language == "zh" and (("cash", line) not in _ZH) and self.accounts.get(line):
            name = self.accounts[line]
            return f"{name}变动" if section == "operating" else name
        return self("cash", line, english)

    def detail(self, detail: str) -> str:
        """A roll-forward line's detail: a part (owners, NCI, total), NCI's
        percentage, or a currency (kept)."""
        if self.language == "zh" and detail.startswith("NCI "):
            return f"少数股东持股 {detail[4:]}"
        return self("detail", detail, detail)

    def balance_at(self, period: str, english: str) -> str:
        """An equity statement's opening or closing row: the balance at the
        end of ``period`` ('' for the opening rows of the first period)."""
        if self.language != "zh":
            return english
        if not period:
            return _ZH[("equity", "first_opening")]
        return f"{labels.month_end('zh', period)}余额"


def statement_words(con: duckdb.DuckDBPyConnection, language: str) -> StatementWords:
    """The words in ``language``, with each account's Chinese name where
    master data gives one."""
    names = con.execute("SELECT account, name_zh FROM account WHERE name_zh <> ''").fetchall()
    return StatementWords(language, dict(names))
