"""The DOCX package names the court's fonts and carries no default-template leftovers (issue 18).

Read the way WPS and Word read it: unzip, parse styles.xml, fontTable.xml and theme1.xml, the core and
extended properties. Expected names come from the court's font setting (resources/fonts.toml: 仿宋_GB2312
for the body, 方正小标宋简体 for titles, 黑体, 楷体_GB2312, 宋体 for page numbers), not from this machine.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from baihe_desk.documents import settings as doc_settings
from baihe_desk.documents.fonts import font_index
from baihe_desk.documents.preflight import FontPlan
from baihe_desk.documents.render import compose_document, render
from baihe_desk.documents.templates import load_template
from baihe_desk.services.common.document_kinds import KINDS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NOW = datetime(2026, 11, 26, 3, 4, 5, tzinfo=UTC)
LEFTOVERS = ("Calibri", "Courier", "Cambria", "MS Mincho", "ＭＳ 明朝", "ＭＳ ゴシック", "Times New Roman", "Normal.dotm",
             "Macintosh", "맑은 고딕", "新細明體")


def _docx(kind_name: str, chains: dict[str, list[str]] | None = None) -> bytes:
    kind = KINDS[kind_name]
    template = load_template(kind.resource_text(), kind.placeholders, kind=kind.kind, source="test")
    doc = compose_document(kind, template, kind.sample_values())
    doc.generated_at = NOW
    plan = FontPlan.resolve(font_index(), chains or doc_settings.font_chains(None))
    return render(doc, ["docx"], plan).files["docx"]


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


def _xml(text: str):  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.fromstring(text.encode("utf-8"))


@pytest.mark.parametrize("kind", ["mediation-notice", "weekly-bulletin"])
def test_styles_font_table_and_theme_name_the_courts_fonts(kind):
    parts = _parts(_docx(kind))
    for name, text in parts.items():
        for word in LEFTOVERS:
            assert word not in text, f"{word} left in {name}"
    styles = _xml(parts["word/styles.xml"])
    east_asia = {f.get(f"{W}eastAsia") for f in styles.iter(f"{W}rFonts")}
    assert east_asia == {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}
    body = styles.find(f".//{W}style[@{W}styleId='BHBody']//{W}rFonts")
    assert {body.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}
    title = styles.find(f".//{W}style[@{W}styleId='BHTitle']//{W}rFonts")
    assert title.get(f"{W}eastAsia") == "方正小标宋简体"
    assert not any(k.endswith("Theme") for f in styles.iter(f"{W}rFonts") for k in f.attrib)

    table = _xml(parts["word/fontTable.xml"])
    fonts = {f.get(f"{W}name"): (f.find(f"{W}altName").get(f"{W}val") if f.find(f"{W}altName") is not None else "")
             for f in table.iter(f"{W}font")}
    assert fonts == {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "黑体": "", "楷体_GB2312": "楷体", "宋体": ""}

    theme = _xml(parts["word/theme/theme1.xml"])
    major, minor = theme.find(f".//{A}majorFont"), theme.find(f".//{A}minorFont")
    assert major.find(f"{A}latin").get("typeface") == major.find(f"{A}ea").get("typeface") == "方正小标宋简体"
    assert minor.find(f"{A}latin").get("typeface") == minor.find(f"{A}ea").get("typeface") == "仿宋_GB2312"
    assert [f.get("script") for f in minor.iter(f"{A}font")] == ["Hans"]


def test_the_font_setting_decides_what_the_file_names():
    chains = {**doc_settings.font_chains(None), "body": ["仿宋", "FangSong"], "title": ["黑体"]}
    parts = _parts(_docx("correction-notice", chains))
    styles = _xml(parts["word/styles.xml"])
    body = styles.find(f".//{W}style[@{W}styleId='BHBody']//{W}rFonts")
    assert body.get(f"{W}eastAsia") == "仿宋"
    names = {f.get(f"{W}name") for f in _xml(parts["word/fontTable.xml"]).iter(f"{W}font")}
    assert "仿宋_GB2312" not in names and {"仿宋", "黑体"} <= names
    assert 'typeface="仿宋"' in parts["word/theme/theme1.xml"]


def test_core_properties_are_the_courts_and_now_without_template_leftovers():
    parts = _parts(_docx("mediation-notice"))
    assert not any("thumbnail" in n or n.startswith("customXml/") for n in parts)
    assert "thumbnail" not in parts["_rels/.rels"]
    assert "customXml" not in parts["word/_rels/document.xml.rels"]
    core = parts["docProps/core.xml"]
    assert "<dc:creator>吉林省白河林区基层法院</dc:creator>" in core
    assert "<cp:lastModifiedBy>吉林省白河林区基层法院</cp:lastModifiedBy>" in core
    assert re.search(r"<dcterms:created[^>]*>2026-11-26T03:04:05Z<", core)
    assert re.search(r"<dcterms:modified[^>]*>2026-11-26T03:04:05Z<", core)
    assert "<cp:revision>1</cp:revision>" in core
    app = parts["docProps/app.xml"]
    assert "<Template>" not in app and "AppVersion" not in app
    assert "mathFont" not in parts["word/settings.xml"] and "w:rsids" not in parts["word/settings.xml"]


def test_python_docx_and_the_document_text_survive_the_cleaning():
    import docx

    doc = docx.Document(io.BytesIO(_docx("mediation-notice")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "诉前调解告知书" in text
    assert doc.core_properties.created == NOW
