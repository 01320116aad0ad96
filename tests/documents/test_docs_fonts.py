"""Font discovery and the glyph preflight (per-character fallback; a missing character stops the render)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from baihe_desk.documents.fonts import FontIndex, default_font_dirs, font_index
from baihe_desk.documents.model import Document, Para, Span
from baihe_desk.documents.preflight import FontPlan, MissingGlyph, NoUsableFont
from baihe_desk.documents.settings import font_chains
from tests.documents.docs_helpers import font_installed


def needs_linux_fonts(test):  # type: ignore[no-untyped-def]
    """These tests need the fonts tools/bootstrap.py installs (fonts-wqy-microhei, fonts-arphic-uming)."""

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert font_installed("WenQuanYi Micro Hei") and font_installed("AR PL UMing CN"), \
            "install fonts-wqy-microhei and fonts-arphic-uming (tools/bootstrap.py does)"
        return test(*args, **kwargs)

    import functools

    return functools.wraps(test)(wrapper)


def _doc(text: str, field: str = "当事人") -> Document:
    return Document(kind="test", title="测试", court_name=[Span("吉林省白河林区基层法院")], number=[],
                    blocks=[Para([Span("当事人："), Span(text, field)])])


def test_index_reads_names_skips_cff_and_caches(tmp_path):
    cache = tmp_path / "fonts.json"
    index = FontIndex.scan(default_font_dirs(), cache)
    assert cache.exists()
    again = FontIndex.scan(default_font_dirs(), cache)
    assert [f.key for f in again.faces] == [f.key for f in index.faces]
    # OpenType/CFF faces (Noto CJK) are indexed but never chosen: reportlab cannot embed them
    cff = [f for f in index.faces if not f.truetype]
    for face in cff:
        for name in face.names:
            found = index.find(name)
            assert found is None or found.truetype
    for face in index.faces:
        if face.usable:
            assert index.find(face.family) is not None


@needs_linux_fonts
def test_ttc_faces_have_subfont_indexes():
    index = font_index()
    hk = index.find("AR PL UMing HK")
    cn = index.find("AR PL UMing CN")
    assert hk.path == cn.path and hk.index != cn.index


@needs_linux_fonts
def test_fallback_per_character_in_pdf(tmp_path):
    """WenQuanYi Micro Hei has 王 but not 䶮 (Ext-A): 䶮 alone is drawn in the next font of the chain."""
    from baihe_desk.documents.pdf_renderer import render_pdf

    chains = font_chains(None)
    chains["body"] = ["WenQuanYi Micro Hei", "AR PL UMing CN"]
    chains["fallback"] = []
    plan = FontPlan.resolve(font_index(), chains)
    runs = plan.segment("王䶮堃", "body", "当事人")
    assert [(t, f.family) for t, f in runs] == [
        ("王", "WenQuanYi Micro Hei"), ("䶮", "AR PL UMing CN"), ("堃", "WenQuanYi Micro Hei")]

    pdf = render_pdf(_doc("王䶮堃"), plan)
    assert [(f.char, f.font, f.field) for f in plan.fallbacks if f.char == "䶮"] == [("䶮", "AR PL UMing CN", "当事人")]
    path = tmp_path / "fallback.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "WenQuanYiMicroHei" in out and "UMingCN" in out
    from pypdf import PdfReader

    assert "王䶮堃" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_character_no_font_has_stops_the_render_with_code_point_and_field():
    plan = FontPlan.resolve(font_index(), font_chains(None))
    missing = "\U0002ebf0"  # CJK Ext-I (Unicode 15.1): no installed font has it
    with pytest.raises(MissingGlyph) as info:
        plan.check(_doc("王" + missing, "受告知人（原告）"))
    err = info.value
    assert err.codepoint == "U+2EBF0" and err.field == "受告知人（原告）"
    assert "U+2EBF0" in err.message and "受告知人（原告）" in err.message and missing in err.message

    from baihe_desk.documents.docx_renderer import render_docx

    with pytest.raises(MissingGlyph):  # the DOCX renderer runs the same preflight
        render_docx(_doc(missing), FontPlan.resolve(font_index(), font_chains(None)))


def test_template_wording_is_named_when_it_has_the_missing_character():
    plan = FontPlan.resolve(font_index(), font_chains(None))
    doc = _doc("王")
    doc.blocks.append(Para([Span("固定文字\U0002ebf0")]))
    with pytest.raises(MissingGlyph, match="文书模板的固定文字"):
        plan.check(doc)


def test_no_usable_font_is_a_calm_error():
    chains = {role: ["No Such Font 不存在的字体"] for role in font_chains(None)}
    with pytest.raises(NoUsableFont, match="正文|标题"):
        FontPlan.resolve(font_index(), chains)


def test_extra_font_folder_is_scanned(tmp_path):
    """A court may drop a TrueType file into the data folder's fonts/ (no admin rights needed)."""
    source = next((f for f in font_index().faces if f.usable and f.path.lower().endswith(".ttf")), None)
    assert source is not None, "tools/bootstrap.py installs TrueType CJK fonts"
    folder = tmp_path / "fonts"
    folder.mkdir()
    shutil.copy(source.path, folder / "court-font.ttf")
    index = FontIndex.scan([folder], None)
    assert index.find(source.family).path == str(Path(folder / "court-font.ttf").resolve())


@needs_linux_fonts
def test_cmap_coverage_is_read_once_and_cached_until_the_file_changes(tmp_path, monkeypatch):
    """The coverage cache (issue 21): the ranges give back exactly the code points fontTools reads from
    the cmap, a second process (an empty index) gets them without opening the font, and a changed file
    or a damaged cache is read again."""
    import json
    import os

    from baihe_desk.documents import font_coverage

    source = font_index().find("WenQuanYi Micro Hei")
    copy = tmp_path / "fonts" / Path(source.path).name
    copy.parent.mkdir()
    shutil.copyfile(source.path, copy)
    cache = tmp_path / "cache" / "fonts.json"
    face = FontIndex.scan([copy.parent], cache).find("WenQuanYi Micro Hei")
    expected = font_coverage.read_coverage(face)  # fontTools, straight from the file
    assert len(expected) > 20_000 and ord("堃") in expected

    reads = []
    real = font_coverage.read_coverage
    monkeypatch.setattr(font_coverage, "read_coverage", lambda f: reads.append(f.key) or real(f))
    assert FontIndex.scan([copy.parent], cache).coverage(face) == expected and reads == [face.key]
    assert (cache.parent / font_coverage.CACHE_NAME).exists()
    assert FontIndex.scan([copy.parent], cache).coverage(face) == expected and len(reads) == 1  # from the cache

    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the font replaced by another version
    assert FontIndex.scan([copy.parent], cache).coverage(face) == expected and len(reads) == 2
    (cache.parent / font_coverage.CACHE_NAME).write_text(json.dumps(
        {"version": font_coverage.CACHE_VERSION, "faces": {face.key: {"stamp": "x", "ranges": "y"}}}))
    assert FontIndex.scan([copy.parent], cache).coverage(face) == expected and len(reads) == 3
    assert FontIndex.scan([copy.parent], cache).coverage(face) == expected and len(reads) == 3
