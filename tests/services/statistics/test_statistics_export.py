"""周通报 / 月分析: exported through the document engine as DOCX and PDF with the charts as pictures; the PDF
text holds the figures; every export is a new recorded version."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.documents.model import Image, Para, Span, Table
from baihe_desk.documents.templates import TemplateError
from baihe_desk.errors import KnownError, PermissionDenied
from baihe_desk.models import AuditRecord, GeneratedDocument, Role
from baihe_desk.services.common import documents
from baihe_desk.services.statistics import export as statistics_export
from baihe_desk.services.statistics import report as statistics
from baihe_desk.services.statistics.documents import TABLES, expand
from baihe_desk.services.statistics.report import period_of
from tests.services.deadlines.clock_world import build_world, march_data

MARCH = period_of("month", date(2026, 3, 15))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def world(udb, uusers):
    w = build_world(udb, uusers)
    march_data(w)
    return w


def _report(world):
    with world.db.session() as s:
        return statistics.compute(s, MARCH, today=date(2026, 4, 2))


def test_monthly_analysis_pdf_holds_the_figures_and_the_docx_the_charts(world, udata):
    report = _report(world)
    with world.db.transaction() as s:
        records = statistics_export.export_report(s, world.users[Role.DIVISION_CHIEF], "monthly-analysis", report,
                                                  paths=udata, issued_on=date(2026, 4, 2))
    assert [(r.format, r.version, r.case_id) for r in records] == [("pdf", 1, None), ("docx", 1, None)]
    assert records[0].relpath == "reports/2026/monthly-analysis-2026-03-v1.pdf"
    pdf = (udata.documents / records[0].relpath).read_bytes()
    text = pdf_text(pdf)
    for figure in ("本期收到起诉材料11件，上年同期1件，同比+1000.0%", "登记立案（民初）3件", "结案2件",
                   "调解成功率50.0%", "补正率25.0%", "收件至立案平均4.3日", "首次成功送达被告平均9.0日",
                   "超审限结案1件", "逾期立案1件", "立案期限1"):
        assert figure in text, figure
    assert "民事审判庭221+100.0%" not in text  # table cells are separate runs, but all there:
    for cell in ("民事审判庭", "长白山保护区人民法庭", "董秀兰", "50.0%", "测试承办法官"):
        assert cell in text
    assert "〔" not in text  # every marker replaced
    import docx

    d = docx.Document(io.BytesIO((udata.documents / records[1].relpath).read_bytes()))
    assert len(d.inline_shapes) == 2
    body = "".join(p.text for p in d.paragraphs)
    assert "本期收到起诉材料11件" in body and "立案调解工作月分析" in body
    with world.db.transaction() as s:
        again = statistics_export.export_report(s, world.users[Role.FILING_CLERK], "monthly-analysis", report,
                                                ["pdf"], paths=udata)
    assert again[0].version == 2 and (udata.documents / records[0].relpath).read_bytes() == pdf
    with world.db.session() as s:
        assert s.scalar(select(AuditRecord).where(AuditRecord.action == "document.generate")).after["period"] == "2026-03"
        assert len(list(s.scalars(select(GeneratedDocument)))) == 3


def test_weekly_bulletin_and_the_rules_of_export(world, udata):
    week = statistics.period_of("week", date(2026, 3, 4))
    with world.db.session() as s:
        report = statistics.compute(s, week, today=date(2026, 4, 2))
        rendered = statistics_export.render_report(s, "weekly-bulletin", report, ["pdf"])
        text = pdf_text(rendered.files["pdf"])
        assert "（2026年第10周）" in text and "2026年3月2日至2026年3月8日" in text
        assert f"本周收到起诉材料{report.received}件" in text
        assert any(isinstance(b, Table) and b.header_rows == 1 for b in rendered.document.blocks)
        assert any(isinstance(b, Image) for b in rendered.document.blocks)
        with pytest.raises(KnownError, match="不是统计报告"):
            statistics_export.render_report(s, "mediation-notice", report)
        with pytest.raises(KnownError, match="周通报按周统计"):
            statistics_export.render_report(s, "weekly-bulletin", _report(world))
        with pytest.raises(KnownError, match="月分析按月"):
            statistics_export.render_report(s, "monthly-analysis", report)
    with world.db.transaction() as s, pytest.raises(PermissionDenied):
        statistics_export.export_report(s, None, "weekly-bulletin", report, paths=udata)


def test_template_previews_show_where_tables_and_charts_go(world):
    for kind in ("weekly-bulletin", "monthly-analysis"):
        pdf = documents.preview_template(None, kind, documents.KINDS[kind].resource_text())
        assert "〔此处插入分部门统计表〕" in pdf_text(pdf)


def test_a_template_table_with_the_wrong_number_of_columns_is_named(world):
    report = _report(world)
    label = TABLES["table_mediators"][0]
    from baihe_desk.documents.model import Document

    doc = Document("monthly-analysis", "月分析", [Span("法院")], [], [
        Table([[[Span("调解员")], [Span("件数")]], [[Span("〔x〕", label)], []]], [0.5, 0.5]),
        Para([Span("正文")])])
    with pytest.raises(TemplateError, match="调解员统计表应为 5 列"):
        expand(doc, report, {})
