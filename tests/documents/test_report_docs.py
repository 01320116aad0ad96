"""周通报 / 月分析 as documents: a table with no row becomes a "本期无…" sentence, no sentence carries a bare
dash for a figure that cannot be computed, the rate chart's axis runs 0–100 %, and in the DOCX every chart
is an inline picture in a paragraph of its own, with space above and below (never over the table above)."""

from __future__ import annotations

import io
import re
from datetime import date

from baihe_desk.documents.model import Image, Para, Table
from baihe_desk.services.statistics import export as statistics_export
from baihe_desk.services.statistics import report as statistics
from baihe_desk.services.statistics.charts import value_axis
from tests.services.deadlines.clock_world import build_world, march_data

QUIET_WEEK = date(2026, 6, 3)  # nothing was received, filed, mediated or overdue in this week


def _rendered(db, kind, day, formats=("pdf", "docx")):
    with db.session() as s:
        period = statistics.period_of("week" if kind == "weekly-bulletin" else "month", day)
        report = statistics.compute(s, period, today=date(2026, 6, 10))
        return report, statistics_export.render_report(s, kind, report, formats, issued_on=date(2026, 6, 10))


def test_an_empty_period_says_本期无_instead_of_empty_tables_and_no_dash_in_a_sentence(db, users):
    build_world(db, users)
    for kind in ("weekly-bulletin", "monthly-analysis"):
        _, rendered = _rendered(db, kind, QUIET_WEEK, ["pdf"])
        doc = rendered.document
        for block in doc.blocks:
            if isinstance(block, Table):
                assert len(block.rows) > 1, f"{kind}: a table of headings only"
        sentences = [b.text for b in doc.flow() if isinstance(b, Para)]
        assert any(t.startswith("本期无") for t in sentences), kind
        if kind == "monthly-analysis":
            assert "本期无调解员调解的案件。" in sentences
        for text in sentences:
            assert "—" not in text and "--" not in text, f"{kind}: {text}"
        joined = "".join(sentences)
        assert "调解成功率无从计算" in joined


def test_rates_are_drawn_against_0_to_100_percent(db, users):
    march_data(build_world(db, users))
    with db.session() as s:
        report = statistics.compute(s, statistics.period_of("month", date(2026, 3, 15)), today=date(2026, 4, 2))
    rates = statistics_export.report_charts(report)["chart_rates"]
    assert rates.percent and max(v for v in rates.series[0].values if v is not None) < 0.6
    assert value_axis(rates) == (1.0, 0.2)


def test_the_docx_chart_is_inline_in_its_own_paragraph_clear_of_the_table(db, users):
    import docx
    from docx.oxml.ns import qn

    march_data(build_world(db, users))
    _, rendered = _rendered(db, "weekly-bulletin", date(2026, 3, 4))
    assert any(isinstance(b, Image) for b in rendered.document.blocks)
    document = docx.Document(io.BytesIO(rendered.files["docx"]))
    body = document.element.body
    drawings = list(body.iter(qn("w:drawing")))
    assert drawings
    for drawing in drawings:
        assert drawing.find(qn("wp:inline")) is not None and drawing.find(qn("wp:anchor")) is None
        p = drawing.getparent().getparent()
        assert p.tag == qn("w:p") and p.getparent() is body  # not inside a table cell
        runs = p.findall(qn("w:r"))
        assert len(runs) == 1 and not "".join(t.text or "" for t in p.iter(qn("w:t")))
        spacing = p.find(qn("w:pPr")).find(qn("w:spacing"))
        assert int(spacing.get(qn("w:before"))) > 0 and int(spacing.get(qn("w:after"))) > 0
        assert spacing.get(qn("w:lineRule")) != "exact"  # an exact line pitch would clip the picture
    assert re.search(r"各部门立案数", "".join(d.find(qn("wp:inline")).find(qn("wp:docPr")).get("descr")
                                          for d in drawings))
