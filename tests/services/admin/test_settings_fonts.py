"""The font check behind the admin's live sample: the file each role embeds and the missing characters."""

from __future__ import annotations

from pathlib import Path

from baihe_desk.documents.fonts import font_index
from baihe_desk.documents.settings import default_fonts
from baihe_desk.services.admin.fonts import font_report

EXT_G = "\U0003134a"  # no installed font has it (CJK Extension G)


def test_each_role_names_the_file_the_pdf_embeds():
    families = default_fonts()
    report = font_report(families, [], "堃喆", "吉林省白河林区基层法院")
    index = font_index(())
    assert [r.role for r in report.roles] == ["title", "body", "heading1", "heading2", "page_number"]
    for r in report.roles:
        assert not r.error and Path(r.path).is_file()
        face = next(f for f in index.faces if f.path == r.path and f.index == r.index)
        assert face.usable  # TrueType and embeddable: what reportlab can embed
        assert r.sample.startswith("吉林省白河林区基层法院") or r.role == "page_number"


def test_missing_and_fallback_characters_are_reported():
    families = default_fonts()
    report = font_report(families, [], f"堃{EXT_G}", "")
    assert EXT_G in report.missing and not report.ok
    body = next(r for r in report.roles if r.role == "body")
    assert EXT_G in body.missing and "堃" not in body.missing


def test_unknown_families_fall_back_and_say_so():
    families = dict(default_fonts()) | {"body": ["没有这个字体"]}
    body = next(r for r in font_report(families, [], "", "").roles if r.role == "body")
    assert not body.configured_found and body.path  # drawn by the fallback list
    nothing = dict(default_fonts()) | {"body": ["没有这个字体"], "fallback": ["也没有"]}
    body = next(r for r in font_report(nothing, [], "", "").roles if r.role == "body")
    assert "本机没有可用于正文的字体" in body.error
