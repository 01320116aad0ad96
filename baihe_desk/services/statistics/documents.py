"""周通报 (KIND ``weekly-bulletin``) and 月分析 (KIND ``monthly-analysis``): the court's own reports from
its statistics (court-report: 依据审判数据进行周通报、月分析、季调度).

They are not documents of a case: they are generated from a :class:`services.statistics.Report` by
``services.statistics.export.export_report`` (the 统计分析 page), stored as records without a case.
The wording is a versioned template like every other document; its figures are placeholders, and four
kinds of placeholder mark where the engine puts generated parts:

- a **table**: a template table whose second row holds ``{{ table_departments }}`` (or ``table_judges``,
  ``table_mediators``, ``table_overdue``) — the template gives the column headings and widths, the row is
  replaced by one row per department / judge / mediator / kind of overdue item (the number of columns
  must match, see :data:`TABLE_COLUMNS`);
- a **chart**: a paragraph that is just ``{{ chart_departments }}`` or ``{{ chart_rates }}`` — replaced by
  the chart picture (:mod:`services.statistics.charts`).

A template preview (sample values) shows the markers as bracketed text where the parts will go.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.documents.model import Block, Document, Image, Para, Span, Table, text_of
from baihe_desk.documents.templates import Placeholder, TemplateError
from baihe_desk.documents.text import chinese_date, one_line
from baihe_desk.errors import KnownError
from baihe_desk.models import Case, CourtProfile

WEEKLY, MONTHLY = "weekly-bulletin", "monthly-analysis"
DATA_FIELD = "统计数据"

TABLES = {  # placeholder → (label, number of columns)
    "table_departments": ("分部门统计表", 6),
    "table_judges": ("分承办法官统计表", 6),
    "table_mediators": ("调解员统计表", 5),
    "table_overdue": ("超期事项表", 2),
}
TABLE_COLUMNS = {
    "table_departments": "部门、立案、同比、结案、超审限结案、当前超期",
    "table_judges": "承办法官、立案、结案、在办、在办超审限、超审限结案",
    "table_mediators": "调解员、进入调解、调解成功、调解终结、成功率",
    "table_overdue": "事项、件数",
}
EMPTY_TABLE = {  # what the sentence standing in for an empty table says there is none of
    "table_departments": "各部门立案、结案和超期案件",
    "table_judges": "承办法官立案、结案和在办案件",
    "table_mediators": "调解员调解的案件",
    "table_overdue": "超期事项",
}
NO_RATE = "无从计算（本期没有可计算的案件）"
CHARTS = {"chart_departments": "图：各部门立案数", "chart_rates": "图：主要指标"}
CHART_WIDTH = 0.9  # of the text width

_S = Placeholder
PLACEHOLDERS: dict[str, Placeholder] = {
    "court_name": _S("法院名称", True, "吉林省白河林区基层法院"),
    "period_label": _S("统计期间", True, "2026年11月"),
    "period_range": _S("统计起止日期", False, "2026年11月1日至11月30日"),
    "previous_label": _S("同比期间", False, "2025年11月"),
    "issue_date": _S("落款日期", True, "二〇二六年十二月一日"),
    "as_of": _S("统计截止日", False, "2026年12月1日"),
    "received": _S("收件数", False, "58"), "received_prev": _S("上年同期收件数", False, "61"),
    "received_change": _S("收件同比", False, "-4.9%"), "received_up": _S("收件同比上升", False, False),
    "filed": _S("立案数", False, "41"), "filed_prev": _S("上年同期立案数", False, "45"),
    "filed_change": _S("立案同比", False, "-8.9%"), "filed_up": _S("立案同比上升", False, False),
    "filed_down": _S("立案同比下降", False, True),
    "closed": _S("结案数", False, "39"),
    "mediation_opened": _S("进入诉前调解数", False, "17"), "mediation_succeeded": _S("调解成功数", False, "9"),
    "mediation_failed": _S("调解终结数", False, "5"), "mediation_rate": _S("调解成功率", False, "64.3%"),
    "correction_decided": _S("首轮审查决定数", False, "52"), "correction_count": _S("通知补正数", False, "8"),
    "correction_rate": _S("补正率", False, "15.4%"),
    "days_to_filing": _S("收件至立案平均天数", False, "1.6"), "days_to_service": _S("收件至首次成功送达平均天数", False, "9.3"),
    "consult_sent": _S("执行咨询发送数", False, "3"), "consult_replied": _S("执行咨询回复数", False, "3"),
    "consult_overdue": _S("执行咨询逾期未复数", False, "0"), "consult_adoption_rate": _S("执行建议采纳率", False, "100.0%"),
    "explanation_requests": _S("判后答疑申请数", False, "4"), "explanation_closed": _S("判后答疑办结数", False, "3"),
    "explanation_accepted": _S("服判息诉数", False, "2"), "explanation_rate": _S("服判息诉率", False, "66.7%"),
    "overdue_total": _S("当前超期事项数", False, "2"), "overdue_text": _S("当前超期事项", False, "审理期限2件"),
    "has_overdue": _S("有超期事项", False, True),
    "closed_over_limit": _S("超审限结案数", False, "0"), "filed_late": _S("逾期立案数", False, "0"),
    "notes": _S("统计口径", False, "收件按收到起诉材料日期统计。"),
    **{k: _S(label, False, f"〔此处插入{label}〕") for k, (label, _n) in TABLES.items()},
    **{k: _S(label, False, f"〔此处插入{label.removeprefix('图：')}图〕") for k, label in CHARTS.items()},
}


def _num(n: int | None) -> str:
    return "0" if n is None else str(n)


def report_values(report: Any, court: CourtProfile, issued_on: date) -> dict[str, Any]:
    """Placeholder values from a ``services.statistics.Report``."""
    from baihe_desk.services.statistics.report import days_text

    p, r = report.period, report

    def rate(value: Any) -> str:  # a rate inside a sentence: never a bare dash
        return value.text if value.value is not None else NO_RATE

    def change(text: str) -> str:
        return "持平" if text == "—" else text  # none this year and none the year before

    def days(value: float | None) -> str:
        return "" if value is None else days_text(value)

    overdue = "、".join(f"{k}{v}件" for k, v in r.overdue_now.items() if v) or "无"
    return {
        "court_name": one_line(court.name), "period_label": p.title,
        "period_range": f"{p.start.year}年{p.start.month}月{p.start.day}日至{p.end.year}年{p.end.month}月{p.end.day}日",
        "previous_label": r.previous.label, "issue_date": chinese_date(issued_on),
        "as_of": f"{r.today.year}年{r.today.month}月{r.today.day}日",
        "received": _num(r.received), "received_prev": _num(r.received_prev), "received_change": change(r.received_change),
        "received_up": r.received > r.received_prev,
        "filed": _num(r.filed), "filed_prev": _num(r.filed_prev), "filed_change": change(r.filed_change),
        "filed_up": r.filed > r.filed_prev, "filed_down": r.filed < r.filed_prev, "closed": _num(r.closed),
        "mediation_opened": _num(r.mediation_opened), "mediation_succeeded": _num(r.mediation_succeeded),
        "mediation_failed": _num(r.mediation_failed), "mediation_rate": rate(r.mediation_rate),
        "correction_decided": _num(r.corrections.den), "correction_count": _num(r.corrections.num),
        "correction_rate": rate(r.corrections), "days_to_filing": days(r.days_to_filing),
        "days_to_service": days(r.days_to_service), "consult_sent": _num(r.consult_sent),
        "consult_replied": _num(r.consult_replied), "consult_overdue": _num(r.consult_overdue),
        "consult_adoption_rate": rate(r.consult_adoption), "explanation_requests": _num(r.explanation_requests),
        "explanation_closed": _num(r.explanation_accepted.den), "explanation_accepted": _num(r.explanation_accepted.num),
        "explanation_rate": rate(r.explanation_accepted), "overdue_total": _num(r.overdue_total),
        "overdue_text": overdue, "has_overdue": r.overdue_total > 0, "closed_over_limit": _num(r.closed_over_limit),
        "filed_late": _num(r.filed_late), "notes": "".join(r.notes),
        **{k: f"〔{label}〕" for k, (label, _n) in TABLES.items()},
        **{k: f"〔{label}〕" for k, label in CHARTS.items()},
    }


def table_rows(report: Any, name: str) -> list[list[str]]:
    """The data rows of the table placeholder ``name`` (columns as in :data:`TABLE_COLUMNS`)."""
    if name == "table_departments":
        return [[d.name, str(d.filed), d.filed_change, str(d.closed), str(d.closed_over_limit), str(d.open_overdue)]
                for d in report.by_department if d.filed or d.filed_prev or d.closed or d.open_overdue]
    if name == "table_judges":
        return [[j.name, str(j.filed), str(j.closed), str(j.open_cases), str(j.open_overdue), str(j.closed_over_limit)]
                for j in report.by_judge]
    if name == "table_mediators":
        return [[m.name, str(m.opened), str(m.succeeded), str(m.failed), m.rate.text] for m in report.by_mediator]
    if name == "table_overdue":
        return [[k, str(v)] for k, v in report.overdue_now.items() if v]
    raise KeyError(name)


def _marker(spans: list[Span], labels: dict[str, str]) -> str | None:
    for span in spans:
        for name, label in labels.items():
            if span.field == label:
                return name
    return None


def expand(doc: Document, report: Any, charts: dict[str, bytes]) -> Document:
    """Replace the table rows and chart paragraphs marked by placeholders with the generated parts."""
    table_labels = {k: label for k, (label, _n) in TABLES.items()}

    def swap(blocks: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Para) and (name := _marker(block.spans, CHARTS)) is not None:
                if name in charts:
                    out.append(Image(charts[name], CHART_WIDTH, CHARTS[name].removeprefix("图：")))
                continue
            if isinstance(block, Table):
                rows, empty = [], None
                for row in block.rows:
                    name = _marker([s for cell in row for s in cell], table_labels)
                    if name is None:
                        rows.append(row)
                        continue
                    width = TABLES[name][1]
                    if len(row) != width:
                        raise TemplateError(f"模板中的{TABLES[name][0]}应为 {width} 列（{TABLE_COLUMNS[name]}），"
                                            f"实为 {len(row)} 列。")
                    data_rows = table_rows(report, name)
                    if not data_rows:
                        empty = name
                    rows.extend([[Span(v, DATA_FIELD)] for v in data] for data in data_rows)
                if empty is not None:  # no row this period: a sentence, not a table of headings only
                    out.append(Para([Span(f"本期无{EMPTY_TABLE[empty]}。", DATA_FIELD)], "body"))
                    continue
                block = Table(rows, block.col_widths, block.row_min_lines[:1], header_rows=1)
            out.append(block)
        return out

    doc.blocks = swap(doc.blocks)
    doc.after = swap(doc.after)
    return doc


def _values(session: Session, case: Case | None, court: CourtProfile, options: dict[str, Any]) -> dict[str, Any]:
    report = options.get("report")
    if report is None:
        raise KnownError("周通报、月分析按统计期间生成，不针对单个案件：请在“统计分析”页面选择期间后导出。")
    issued_on = options.get("issued_on") or report.today
    return report_values(report, court, issued_on)


def plain_text_of_tables(doc: Document) -> str:
    """Every table cell's text (for checks)."""
    return "\n".join("\t".join(text_of(c) for c in row) for b in doc.blocks if isinstance(b, Table) for row in b.rows)


WEEKLY_BULLETIN = DocumentKind(WEEKLY, "立案调解工作周通报", PLACEHOLDERS, _values)
MONTHLY_ANALYSIS = DocumentKind(MONTHLY, "立案调解工作月分析", PLACEHOLDERS, _values)
