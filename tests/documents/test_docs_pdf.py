"""The 诉前调解告知书 as PDF: content, embedded fonts, page geometry and line breaking."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from baihe_desk.documents.linebreak import check_lines
from baihe_desk.documents.typography import COURT_PAGE, MM
from tests.documents.docs_helpers import COURT, RECEIPT, compact, generate, pdf_text


@pytest.fixture
def notice(ddb, clerk, case_id, dpaths):
    records = generate(ddb, clerk, case_id, dpaths)
    pdf = next(r for r in records if r.format == "pdf")
    return (dpaths.documents / pdf.relpath).read_bytes(), records


def test_pdf_text_has_court_number_parties_period_and_articles(notice):
    text = compact(pdf_text(notice[0]))
    for expected in (COURT, "诉前调解告知书", RECEIPT, "王堃", "李喆玥", "刘䶮", "30日",
                     "第一百二十五条", "第二百零五条", "第二百零六条", "第二十七条", "第二十六条", "第十五条",
                     "二〇二六年十一月二十六日", "（院印）", "□同意", "□不同意", "签名（捺印）", "当事人意见",
                     "0433-5550123", "民间借贷纠纷", "2026年11月20日"):
        assert expected in text, expected
    assert "None" not in text
    # no pressure to accept: refusing is an option and nothing threatens costs
    assert "不同意调解或者终止调解的，不影响" in text
    for pressure in ("加重", "承担不利", "诉讼费用增加", "负担更多"):
        assert pressure not in text


def test_every_font_is_embedded_and_no_cid_font(notice, tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) not installed")
    path = tmp_path / "n.pdf"
    path.write_bytes(notice[0])
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in out.splitlines()[2:] if ln.strip()]
    assert rows, out
    for row in rows:
        # name type encoding emb sub uni id gen; type is "TrueType" (never Type 1 / CID Type 0)
        assert row[1] == "TrueType", out
        assert row[-5] == "yes", out  # emb
    assert "STSong" not in out and "Helvetica" not in out


def test_page_is_a4_and_text_stays_in_the_type_area(notice):
    reader = PdfReader(io.BytesIO(notice[0]))
    page_w, page_h = 210 * MM, 297 * MM
    left, right = COURT_PAGE.left_mm * MM, (210 - COURT_PAGE.right_mm) * MM
    top, bottom = (297 - COURT_PAGE.top_mm) * MM, COURT_PAGE.bottom_mm * MM
    hang = COURT_PAGE.body_pt  # one hanging punctuation mark may reach into the right margin
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - page_w) < 0.5 and abs(float(box.height) - page_h) < 0.5
        spots = []

        def visit(text, cm, tm, _fd, _fs, spots=spots):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                spots.append((x, y, text))

        page.extract_text(visitor_text=visit)
        body = [(x, y, t) for x, y, t in spots if not re.fullmatch(r"—\s*\d+\s*—", t.strip())]
        numbers = [(x, y) for x, y, t in spots if re.fullmatch(r"—\s*\d+\s*—", t.strip())]
        assert body and len(numbers) == 1
        for x, y, t in body:
            assert left - 0.5 <= x <= right + hang, (x, t)
            assert bottom <= y <= top, (y, t)
        x, y = numbers[0]
        assert y < bottom - 7 * MM + 1  # page number 7 mm below the type area


def test_22_lines_of_28_characters():
    """A long paragraph fills a page with 22 lines of 28 characters (26 after the first-line indent)."""
    from baihe_desk.documents.fonts import font_index
    from baihe_desk.documents.model import Document, Para, Span
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.preflight import FontPlan
    from baihe_desk.documents.settings import font_chains

    doc = Document(kind="t", title="", court_name=[], number=[], blocks=[Para([Span("法" * 2000)])])
    pdf = render_pdf(doc, FontPlan.resolve(font_index(), font_chains(None)))
    pages = PdfReader(io.BytesIO(pdf)).pages
    first = [ln.strip() for ln in pages[0].extract_text().splitlines() if "法" in ln]
    second = [ln.strip() for ln in pages[1].extract_text().splitlines() if "法" in ln]
    assert len(first[0]) == 26 and all(len(ln) == 28 for ln in first[1:])
    assert len(first) == 22 - 2  # below the (empty) court-name and title lines
    assert len(second) == 22 and all(len(ln) == 28 for ln in second)


def test_rendered_lines_follow_the_breaking_rules():
    """Text full of commas and quotes: no rendered line starts with 。，、；：？！）」』》 or ends with （「『《."""
    from baihe_desk.documents.fonts import font_index
    from baihe_desk.documents.model import Document, Para, Span
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.preflight import FontPlan
    from baihe_desk.documents.settings import font_chains

    sentence = "当事人称：“调解（诉前）是自愿的”，《规定》第二十七条；对吗？是的！「可以」、『可以』。"
    paras = [Para([Span("甲" * k + sentence * 4)]) for k in range(28)]  # every alignment on the line
    pdf = render_pdf(Document(kind="t", title="测试", court_name=[Span(COURT)], number=[], blocks=paras),
                     FontPlan.resolve(font_index(), font_chains(None)))
    lines = [ln for ln in pdf_text(pdf).splitlines() if ln.strip() and not re.fullmatch(r"—\s*\d+\s*—", ln.strip())]
    assert len(lines) > 28 * 5
    assert check_lines(lines) == []


@pytest.mark.xfail(strict=True, reason="reportlab's wordWrap='CJK' lets ，；：？！ start a line: why linebreak.py exists")
def test_reportlab_cjk_wrap_alone_is_not_enough():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from baihe_desk.documents.pdf_flow import register_face
    from baihe_desk.documents.render import font_plan

    style = ParagraphStyle("b", fontName=register_face(font_plan(None).chains["body"].primary), fontSize=16,
                           leading=29, wordWrap="CJK")
    bad = []
    for mark in "，；：？！":
        para = Paragraph("一" * 10 + mark + "二" * 20, style)
        para.wrap(160, 1000)  # ten characters per line: the mark falls at the start of line 2
        bad += check_lines(["".join(w.text for w in line.words) for line in para.blPara.lines])
    assert bad == []
