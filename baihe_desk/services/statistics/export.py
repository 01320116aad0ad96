"""导出周通报、月分析 — a :class:`services.statistics.Report` through the document engine to DOCX and PDF,
with its charts as pictures, kept as records like every generated document (never overwritten).

Files go to ``documents/reports/<year>/<kind>-<period key>-v<N>.<ext>`` and are recorded as
``GeneratedDocument`` rows without a case (``case_id`` None), versioned per kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.documents import settings as doc_settings
from baihe_desk.documents import wording
from baihe_desk.documents.builder import court_profile
from baihe_desk.documents.preflight import FontPlan
from baihe_desk.documents.render import Rendered, check_formats, compose_document, font_plan, render
from baihe_desk.errors import ConflictError, KnownError, ValidationError
from baihe_desk.models import GeneratedDocument, User
from baihe_desk.services.common import audit
from baihe_desk.services.common.document_kinds import get_kind
from baihe_desk.services.common.documents import audit_rendered, fonts_dirs, new_version, write_numbered
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.statistics.charts import GREEN, GREY, BarChart, Series, render_png
from baihe_desk.services.statistics.documents import CHARTS, MONTHLY, WEEKLY, expand, report_values
from baihe_desk.services.statistics.report import Period, Report, period_of

REPORT_KINDS = (WEEKLY, MONTHLY)


def report_charts(report: Report) -> dict[str, BarChart]:
    """The charts of a report as data (the UI draws the same ones with QtCharts)."""
    depts = [d for d in report.by_department if d.filed or d.filed_prev]
    rates = {"补正率": report.corrections.value, "调解成功率": report.mediation_rate.value,
             "建议采纳率": report.consult_adoption.value, "服判息诉率": report.explanation_accepted.value}
    return {
        "chart_departments": BarChart(
            "各部门立案数（本期与上年同期）", tuple(d.name for d in depts),
            (Series("本期", tuple(float(d.filed) for d in depts)),
             Series("上年同期", tuple(float(d.filed_prev) for d in depts), GREY))),
        "chart_rates": BarChart("主要指标（补正、诉前调解、执行建议、判后答疑）", tuple(rates), (Series(report.period.label, tuple(rates.values()), GREEN),),
                                percent=True),
    }


def render_report(session: Session, kind: str, report: Report, formats: Iterable[str] = ("pdf", "docx"), *,
                  paths: Paths | None = None, issued_on: date | None = None,
                  plan: FontPlan | None = None) -> Rendered:
    """The report rendered (no record): the template in force, the figures, the tables and the charts."""
    if kind not in REPORT_KINDS:
        raise KnownError(f"“{kind}”不是统计报告（可用：{'、'.join(REPORT_KINDS)}）。")
    if (kind == WEEKLY) != (report.period.kind == "week"):
        raise KnownError("周通报按周统计，请将统计期间选为“周”后导出。" if kind == WEEKLY else
                         "月分析按月（也可按季度、年）统计，请将统计期间选为“月”“季度”或“年”后导出。")
    doc_kind = get_kind(kind)
    fmts = check_formats(formats)
    plan = plan or font_plan(session, fonts_dirs(paths))
    values = report_values(report, court_profile(session), issued_on or report.today)
    doc = compose_document(doc_kind, wording.current(session, doc_kind), values)
    charts = {name: render_png(chart, plan) for name, chart in report_charts(report).items() if name in CHARTS}
    doc = expand(doc, report, charts)
    return render(doc, fmts, plan, page_numbers=doc_settings.page_number_mode(session))


def export_report(session: Session, actor: User | None, kind: str, report: Report,
                  formats: Iterable[str] = ("pdf", "docx"), *, paths: Paths,
                  issued_on: date | None = None) -> list[GeneratedDocument]:
    """Render and keep the report as a new version (call inside a write transaction)."""
    require(session, actor, Perm.REPORT_EXPORT)
    rendered = render_report(session, kind, report, formats, paths=paths, issued_on=issued_on)
    try:
        with new_version(session, actor, case_id=None, kind=kind,
                         folder=paths.documents / "reports" / str(report.period.start.year),
                         stem=f"{kind}-{report.period.key}", files=rendered.files, paths=paths,
                         title=f"{rendered.document.title}（{report.period.label}）"[:100],
                         template_version=rendered.document.template_version,
                         font_note=rendered.font_note) as records:
            for record in records:
                audit.record(session, actor, "document.generate", entity="generated_document", entity_id=record.id,
                             after={**audit.snapshot(record), "period": report.period.key})
    except FileExistsError as exc:
        raise ConflictError("另一台电脑正在导出同一份报告，请稍后重试。") from exc
    return records


def period_from_key(kind: str, key: str) -> Period:
    """The period a report is for, from the command line: ``2026-W49`` (ISO week, 周通报) or ``2026-11`` (月分析)."""
    import re

    week = re.fullmatch(r"(\d{4})-W(\d{1,2})", (key or "").strip())
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", (key or "").strip())
    try:
        if kind == WEEKLY and week:
            return period_of("week", date.fromisocalendar(int(week[1]), int(week[2]), 1))
        if kind == MONTHLY and month:
            return period_of("month", date(int(month[1]), int(month[2]), 1))
    except ValueError:
        pass
    raise ValidationError("统计期间", "周通报请写成 --week 2026-W49（年-W周次），月分析请写成 --month 2026-11（年-月）。")


def render_report_to_dir(session: Session, actor: User | None, kind: str, key: str, formats: Iterable[str],
                         out_dir: Path, *, paths: Paths | None = None, today: date | None = None) -> list[Path]:
    """Headless 周通报 / 月分析 (``baihe-desk render weekly-bulletin --week 2026-W49``): the same figures as the
    统计分析 page for that period, written as ``<kind>-<period>.<ext>`` into ``out_dir`` (``-2`` … if taken).
    Only for those who may export the reports (``Perm.REPORT_EXPORT``; a refusal is audited and writes
    nothing). No document record is kept (the page's 导出 keeps one); the files are audited
    (``document.render``, with their SHA-256). Call inside a write transaction."""
    from baihe_desk.services.statistics.report import compute

    user = require(session, actor, Perm.REPORT_EXPORT)
    period = period_from_key(kind, key)
    rendered = render_report(session, kind, compute(session, period, today=today), formats, paths=paths)
    out = write_numbered(Path(out_dir), f"{kind}-{period.key}", rendered.files)
    audit_rendered(session, user, "report", period.key, kind, out, period=period.key)
    return out
