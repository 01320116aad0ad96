"""The per-process caches of the renderers (styled DOCX base, character → face memo, character
advances, loaded templates) never carry one document's content or one setting's result into another."""

from __future__ import annotations

import io
import mmap
import zipfile

import pytest
from lxml import etree
from reportlab.pdfbase import pdfmetrics

from tests.documents.docs_helpers import add_case, compact, font_installed, generate, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(data: bytes, name: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def _docx_text(data: bytes) -> str:
    return "".join(t.text or "" for t in _part(data, "word/document.xml").iter(f"{W}t"))


def _files(dpaths, records) -> dict[str, bytes]:
    return {r.format: (dpaths.documents / r.relpath).read_bytes() for r in records}


def _set(db, key: str, value) -> None:
    from baihe_desk.models.court import Setting

    with db.transaction() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value


def test_two_cases_in_one_process_each_get_their_own_text(ddb, clerk, case_id, dpaths):
    other = add_case(ddb, receipt="收2026-0002", plaintiff="张三丰", defendants=("赵敏",), cause="买卖合同纠纷")
    first = _files(dpaths, generate(ddb, clerk, case_id, dpaths))
    second = _files(dpaths, generate(ddb, clerk, other, dpaths))
    again = _files(dpaths, generate(ddb, clerk, case_id, dpaths))
    for files, mine, theirs in ((first, "王堃", "张三丰"), (second, "张三丰", "王堃"), (again, "王堃", "张三丰")):
        docx_text, pdf = _docx_text(files["docx"]), compact(pdf_text(files["pdf"]))
        assert mine in docx_text and theirs not in docx_text
        assert mine in pdf and theirs not in pdf
    assert _docx_text(first["docx"]) == _docx_text(again["docx"])
    assert "收2026-0002" in _docx_text(second["docx"]) and "买卖合同纠纷" in _docx_text(second["docx"])


def test_fallback_characters_are_found_after_the_memo_knows_the_others():
    """Segment text of the first face only, then text with a character it lacks: the memo of the
    first face's characters must not swallow the newcomer."""
    from baihe_desk.documents.fonts import font_index
    from baihe_desk.documents.preflight import FontPlan
    from baihe_desk.documents.settings import font_chains

    if not (font_installed("WenQuanYi Micro Hei") and font_installed("AR PL UMing CN")):
        pytest.skip("needs WenQuanYi Micro Hei and AR PL UMing CN")
    chains = font_chains(None)
    chains["body"], chains["fallback"] = ["WenQuanYi Micro Hei", "AR PL UMing CN"], []
    plan = FontPlan.resolve(font_index(), chains)
    assert [f.family for _, f in plan.segment("王王", "body")] == ["WenQuanYi Micro Hei"]
    runs = plan.segment("王䶮王", "body", "当事人")
    assert [(t, f.family) for t, f in runs] == [
        ("王", "WenQuanYi Micro Hei"), ("䶮", "AR PL UMing CN"), ("王", "WenQuanYi Micro Hei")]
    assert [(f.char, f.field) for f in plan.fallbacks] == [("䶮", "当事人")]
    chains["body"] = ["AR PL UMing CN"]  # another chain: its own memo
    other = FontPlan.resolve(font_index(), chains)
    assert [f.family for _, f in other.segment("王䶮王", "body")] == ["AR PL UMing CN"]


def test_character_advances_are_kept_per_font_and_size():
    from baihe_desk.documents.fonts import font_index
    from baihe_desk.documents.pdf_flow import _widths, register_face
    from baihe_desk.documents.preflight import FontPlan
    from baihe_desk.documents.settings import font_chains

    name = register_face(FontPlan.resolve(font_index(), font_chains(None)).chains["body"].primary)
    assert name
    big, small = _widths("王1", [name, name], 16, 0.5), _widths("王1", [name, name], 8, 0.5)
    assert big[0] != small[0] and big[0] - 0.5 == pytest.approx(2 * (small[0] - 0.5))
    assert _widths("王\n", [name, name], 16, 0.5)[1] == 0.0


def test_changed_font_and_page_number_settings_reach_the_cached_docx_base(ddb, clerk, case_id, dpaths):
    if not font_installed("WenQuanYi Micro Hei"):
        pytest.skip("needs WenQuanYi Micro Hei")
    before = _files(dpaths, generate(ddb, clerk, case_id, dpaths, formats=("docx",)))["docx"]
    _set(ddb, "documents.fonts.body", ["WenQuanYi Micro Hei"])
    _set(ddb, "documents.page_numbers", "center")
    after = _files(dpaths, generate(ddb, clerk, case_id, dpaths, formats=("docx",)))["docx"]

    def body_font(data: bytes) -> str:
        style = next(s for s in _part(data, "word/styles.xml").iter(f"{W}style") if s.get(f"{W}styleId") == "BHBody")
        return style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")

    assert body_font(before) != "WenQuanYi Micro Hei" and body_font(after) == "WenQuanYi Micro Hei"
    odd_even = _part(before, "word/settings.xml").find(f"{W}evenAndOddHeaders")
    assert odd_even is not None and _part(after, "word/settings.xml").find(f"{W}evenAndOddHeaders") is None
    assert _docx_text(before) == _docx_text(after)


def test_a_new_wording_version_reaches_the_batch(ddb, clerk, admin, case_id, dpaths):
    from baihe_desk.services.common import document_batch, documents
    from baihe_desk.services.common.documents import KINDS

    shipped = KINDS["mediation-notice"].resource_text()
    first = document_batch.render_batch(ddb, clerk, "mediation-notice", [case_id], paths=dpaths, workers=1)
    with ddb.transaction() as s:
        documents.save_template(s, admin, "mediation-notice", shipped.replace("特此告知。", "特此告知，请予配合。"))
    second = document_batch.render_batch(ddb, clerk, "mediation-notice", [case_id], paths=dpaths, workers=1)
    from baihe_desk.models import GeneratedDocument

    with ddb.session() as s:
        old, new = ([s.get(GeneratedDocument, i) for i in r.records] for r in (first, second))
        assert {r.template_version for r in old} == {"resource:1"}
        assert {r.template_version for r in new} == {"mediation-notice@2"}
        old_docx = next(r for r in old if r.format == "docx")
        new_docx = next(r for r in new if r.format == "docx")
        old_text = _docx_text((dpaths.documents / old_docx.relpath).read_bytes())
        new_text = _docx_text((dpaths.documents / new_docx.relpath).read_bytes())
    assert "请予配合" not in old_text and "特此告知，请予配合。" in new_text


def test_remembered_settings_live_only_in_their_session(ddb):
    from baihe_desk.documents.settings import get_setting, remember_settings

    _set(ddb, "documents.mediation_notice.days", 20)
    _set(ddb, "documents.mediation_notice.contact_name", None)
    with ddb.session() as s:
        remember_settings(s)
        assert get_setting(s, "documents.mediation_notice.days", 30) == 20
        assert get_setting(s, "documents.mediation_notice.contact_name", "x") is None  # stored null, not the default
        assert get_setting(s, "documents.mediation_notice.mediator_org", "默认") == "默认"  # not stored
        _set(ddb, "documents.mediation_notice.days", 15)
        _set(ddb, "documents.mediation_notice.mediator_org", "人民调解委员会")
        assert get_setting(s, "documents.mediation_notice.days", 30) == 20  # one snapshot per session
        assert get_setting(s, "documents.mediation_notice.mediator_org", "默认") == "默认"
    with ddb.session() as s:
        assert get_setting(s, "documents.mediation_notice.days", 30) == 15
        assert get_setting(s, "documents.mediation_notice.mediator_org", "默认") == "人民调解委员会"


def test_reportlab_runs_with_its_c_accelerator():
    """rl_accel is a run-time dependency (issue 21): without it reportlab formats every coordinate of every
    page in Python. A missing or broken install falls back silently; this says so."""
    import inspect

    from reportlab.lib import rl_accel

    for name in ("fp_str", "asciiBase85Encode", "calcChecksum", "escapePDF"):
        assert inspect.isbuiltin(getattr(rl_accel, name)), name


def test_a_mapped_font_embeds_the_same_subsets_as_a_read_one(monkeypatch):
    """The faces are mapped into memory, not read (issue 21: ~50 MB less per document-making process), and
    ``glyf`` is sliced from the mapping glyph by glyph: every kind's PDF is byte for byte the PDF made with
    the font read whole, as reportlab does by itself."""
    from reportlab import rl_config

    from baihe_desk.documents import pdf_flow
    from baihe_desk.documents.pdf_renderer import render_pdf
    from baihe_desk.documents.render import compose_document, font_plan
    from baihe_desk.documents.templates import load_template
    from baihe_desk.services.common.document_kinds import KINDS

    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date or random document id
    docs = [compose_document(k, load_template(k.resource_text(), k.placeholders, kind=k.kind), k.sample_values())
            for k in KINDS.values() if k.kind in ("mediation-notice", "address-confirmation", "acceptance-notice")]

    def pdfs() -> list[bytes]:
        return [render_pdf(doc, font_plan(None)) for doc in docs]

    monkeypatch.setattr(pdf_flow, "_registered", {})
    mapped = pdfs()
    faces = [f for f in pdfmetrics.getRegisteredFontNames() if f in pdf_flow._registered.values()]
    assert faces and all(isinstance(pdfmetrics.getFont(f).face._ttf_data, mmap.mmap) for f in faces)
    for name in faces:  # (put back as they were at the end of the test)
        monkeypatch.delitem(pdfmetrics._dynFaceNames, pdfmetrics.getFont(name).face.name)
        monkeypatch.delitem(pdfmetrics._fonts, name)
    monkeypatch.setattr(pdf_flow, "_registered", {})
    monkeypatch.setattr(pdf_flow, "_MappedFile", lambda path: path)  # reportlab's own way: the file read whole
    read = pdfs()
    assert not any(isinstance(pdfmetrics.getFont(f).face._ttf_data, mmap.mmap) for f in faces)
    assert len(mapped) == 3 and mapped == read
