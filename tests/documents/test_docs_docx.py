"""The 诉前调解告知书 as DOCX: explicit East Asian fonts, no theme fonts, zh-CN, court page setup, the
same text as the PDF."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from baihe_desk.documents.typography import COURT_PAGE
from tests.documents.docs_helpers import compact, generate, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def files(ddb, clerk, case_id, dpaths):
    records = generate(ddb, clerk, case_id, dpaths)
    return {r.format: (dpaths.documents / r.relpath).read_bytes() for r in records}


def _xml(data: bytes, part: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def test_styles_name_east_asian_fonts_and_zh_cn(files):
    data = files["docx"]
    styles = _xml(data, "word/styles.xml")
    parts = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if re.fullmatch(r"word/(document|footer\d+)\.xml", n)]
    used = {"Normal"}
    for part in parts:
        root = _xml(data, part)
        used |= {el.get(f"{W}val") for el in root.iter(f"{W}pStyle", f"{W}rStyle")}
    assert {"BHBody", "BHCourt", "BHTitle", "BHNumber", "BHHeading1", "BHHeading2", "BHFooter"} <= used
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for style_id in used:
        fonts = by_id[style_id].find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, style_id
        for attr in ("eastAsia", "ascii", "hAnsi"):
            assert fonts.get(f"{W}{attr}"), (style_id, attr)
        lang = by_id[style_id].find(f"{W}rPr/{W}lang")
        assert lang is not None and lang.get(f"{W}eastAsia") == "zh-CN", style_id
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia")
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_no_theme_font_attributes_anywhere(files):
    archive = zipfile.ZipFile(io.BytesIO(files["docx"]))
    for name in archive.namelist():
        if name.endswith(".xml") and name != "word/theme/theme1.xml":
            text = archive.read(name).decode("utf-8")
            assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=|w:cstheme=", text), name
    assert "word/stylesWithEffects.xml" not in archive.namelist()
    settings = archive.read("word/settings.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in settings


def test_page_setup_margins_and_grid(files):
    sect = _xml(files["docx"], "word/document.xml").find(f"{W}body/{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4 in twips
    mar = sect.find(f"{W}pgMar")
    got = {k: int(mar.get(f"{W}{k}")) for k in ("top", "bottom", "left", "right")}
    assert got == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}  # 37 / 35 / 28 / 26 mm
    grid = sect.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    assert grid.get(f"{W}linePitch") == "579" and int(grid.get(f"{W}charSpace")) == COURT_PAGE.docx_char_space
    # 22 lines fit: 22 × 579 ≤ the 225 mm type area in twips
    assert 22 * 579 <= 16838 - 2098 - 1984 < 23 * 579
    styles = _xml(files["docx"], "word/styles.xml")
    body = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "BHBody")
    spacing = body.find(f"{W}pPr/{W}spacing")
    assert spacing.get(f"{W}line") == "579" and spacing.get(f"{W}lineRule") == "exact"
    assert body.find(f"{W}rPr/{W}spacing").get(f"{W}val") == str(COURT_PAGE.docx_char_spacing)
    assert body.find(f"{W}rPr/{W}sz").get(f"{W}val") == "32"  # 三号 16 pt
    court = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "BHCourt")
    assert court.find(f"{W}rPr/{W}sz").get(f"{W}val") == "44"  # 二号 22 pt
    assert court.find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"


def test_odd_even_page_numbers(files):
    archive = zipfile.ZipFile(io.BytesIO(files["docx"]))
    assert "<w:evenAndOddHeaders" in archive.read("word/settings.xml").decode("utf-8")
    footers = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/footer")]
    assert len(footers) == 2 and all("PAGE" in f and "— " in f for f in footers)


def test_docx_says_what_the_pdf_says(files):
    import docx

    document = docx.Document(io.BytesIO(files["docx"]))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        texts += [c.text for row in table.rows for c in row.cells if c.text.strip()]
    pdf = compact(pdf_text(files["pdf"]))
    for text in texts:
        assert compact(text) in pdf, text
    assert any("王堃" in t for t in texts) and any("刘䶮" in t for t in texts)


@pytest.mark.slow
def test_libreoffice_opens_the_docx(files, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice and sys.platform != "linux":
        pytest.skip("LibreOffice is installed by tools/bootstrap.py on Debian/Ubuntu only")
    assert soffice, "tools/bootstrap.py installs libreoffice-writer-nogui"
    src = tmp_path / "notice.docx"
    src.write_bytes(files["docx"])
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    text = compact(pdf_text((tmp_path / "notice.pdf").read_bytes()))
    assert "诉前调解告知书" in text and "王堃" in text
