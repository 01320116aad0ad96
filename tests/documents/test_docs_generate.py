"""Generated documents are records: never overwritten, hashed, audited; bad input gives a clean
document or a calm error."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys

import pytest
from sqlalchemy import select

from baihe_desk.documents.preflight import MissingGlyph
from baihe_desk.errors import KnownError, NotFound, PermissionDenied
from baihe_desk.models import AuditRecord, GeneratedDocument, Role, User
from baihe_desk.services.common import documents
from tests.documents.docs_helpers import RECEIPT, add_case, compact, generate, pdf_text
from tests.fake_today import child_env


def test_two_generations_are_two_records_and_two_files(ddb, clerk, case_id, dpaths):
    first = generate(ddb, clerk, case_id, dpaths)
    second = generate(ddb, clerk, case_id, dpaths)
    records = first + second
    assert [(r.version, r.format) for r in records] == [(1, "pdf"), (1, "docx"), (2, "pdf"), (2, "docx")]
    paths = [dpaths.documents / r.relpath for r in records]
    assert len(set(paths)) == 4 and all(p.exists() for p in paths)
    assert paths[0].parent == dpaths.documents / "2026" / RECEIPT
    assert paths[0].name == "mediation-notice-v1.pdf" and paths[2].name == "mediation-notice-v2.pdf"
    for record, path in zip(records, paths, strict=True):
        data = path.read_bytes()
        assert record.sha256 == hashlib.sha256(data).hexdigest() and record.size == len(data)
        assert record.template_version == "resource:1" and record.title == "诉前调解告知书"
    with ddb.session() as s:
        listed = documents.list_documents(s, case_id)
        assert {r.id for r in listed} == {r.id for r in records}
        assert all(documents.file_status(dpaths, r) == "ok" for r in listed)
        audits = s.scalars(select(AuditRecord).where(AuditRecord.action == "document.generate")).all()
        assert len(audits) == 4 and {a.entity_id for a in audits} == {str(r.id) for r in records}


def test_a_file_left_without_a_record_is_never_overwritten(ddb, clerk, case_id, dpaths):
    folder = dpaths.documents / "2026" / RECEIPT
    folder.mkdir(parents=True)
    (folder / "mediation-notice-v1.pdf").write_bytes(b"left by an interrupted run")
    records = generate(ddb, clerk, case_id, dpaths)
    assert {r.version for r in records} == {2}
    assert (folder / "mediation-notice-v1.pdf").read_bytes() == b"left by an interrupted run"


def test_changed_or_missing_files_are_noticed(ddb, clerk, case_id, dpaths):
    pdf, docx = generate(ddb, clerk, case_id, dpaths)
    (dpaths.documents / pdf.relpath).write_bytes(b"edited")
    (dpaths.documents / docx.relpath).unlink()
    assert documents.file_status(dpaths, pdf) == "changed"
    assert documents.file_status(dpaths, docx) == "missing"


def test_permission_is_checked(ddb, case_id, dpaths):
    with ddb.transaction() as s:
        inactive = User(username="gone", display_name="离职人员", role=Role.FILING_CLERK, password_hash="x",
                        active=False)
        s.add(inactive)
    with pytest.raises(PermissionDenied):
        generate(ddb, inactive, case_id, dpaths)
    with ddb.session() as s:
        assert s.scalars(select(GeneratedDocument)).all() == []
    assert not any(dpaths.documents.rglob("*.pdf"))


def test_render_to_dir_for_the_cli(ddb, case_id, court_row, clerk, dpaths, tmp_path):
    out = tmp_path / "out"
    with ddb.transaction() as s:
        first = documents.render_to_dir(s, clerk, "mediation-notice", RECEIPT, ["both"], out,
                                        options={"issued_on": None})
        again = documents.render_to_dir(s, clerk, "mediation-notice", RECEIPT, ["pdf"], out)
        with pytest.raises(NotFound):
            documents.render_to_dir(s, clerk, "mediation-notice", "收2099-9999", ["pdf"], out)
        with pytest.raises(KnownError, match="没有这种文书"):
            documents.render_to_dir(s, clerk, "no-such-kind", RECEIPT, ["pdf"], out)
        with pytest.raises(KnownError, match="不支持"):
            documents.render_to_dir(s, clerk, "mediation-notice", RECEIPT, ["odt"], out)
    assert [p.name for p in first] == [f"mediation-notice-{RECEIPT}.pdf", f"mediation-notice-{RECEIPT}.docx"]
    assert again[0].name == f"mediation-notice-{RECEIPT}-2.pdf"  # nothing overwritten
    with ddb.session() as s:
        assert s.scalars(select(GeneratedDocument)).all() == []  # a headless render is not a record


def test_render_to_dir_needs_a_known_actor_and_writes_nothing_for_another(ddb, case_id, court_row, clerk, dpaths,
                                                                         tmp_path):
    """Nobody (None), the desk itself (SYSTEM) and a disabled account are refused in Chinese, naming what they may
    not do; each refusal is audited and no file is written. What a clerk renders is audited with each file's hash."""
    from baihe_desk.services.common.actor import SYSTEM

    with ddb.transaction() as s:
        gone = User(username="gone", display_name="离职人员", role=Role.FILING_CLERK, password_hash="x", active=False)
        s.add(gone)
    out = tmp_path / "out"
    for actor, who in ((None, "未登录用户"), (SYSTEM, "系统"), (gone, "离职人员（立案窗口书记员）")):
        with pytest.raises(PermissionDenied) as refused, ddb.transaction() as s:
            documents.render_to_dir(s, actor, "mediation-notice", RECEIPT, ["both"], out, paths=dpaths)
        assert refused.value.message == f"{who}无权生成文书。"
        assert not out.exists()
    with ddb.session() as s:
        denied = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")
                           .order_by(AuditRecord.seq)).all()
        assert [(r.username, r.entity_id) for r in denied] == [
            ("", "document.generate"), ("系统", "document.generate"), ("gone", "document.generate")]
    with ddb.transaction() as s:
        files = documents.render_to_dir(s, clerk, "mediation-notice", RECEIPT, ["pdf"], out, paths=dpaths)
    with ddb.session() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "document.render")).one()
    assert (rec.username, rec.entity, rec.entity_id) == ("clerk", "case", str(case_id))
    assert rec.after["files"] == [{"path": str(files[0].resolve()),
                                   "sha256": hashlib.sha256(files[0].read_bytes()).hexdigest()}]


def test_case_number_replaces_the_receipt_number(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, receipt="收2026-0002", case_number="（2026）吉7502民诉前调12号")
    pdf = generate(ddb, clerk, case_id, dpaths, ("pdf",))[0]
    text = compact(pdf_text((dpaths.documents / pdf.relpath).read_bytes()))
    assert "（2026）吉7502民诉前调12号" in text and "收件号" not in text


def test_importing_the_service_loads_no_renderer():
    code = ("import sys, baihe_desk.services.common.documents;"
            "print(','.join(m for m in ('reportlab', 'docx', 'PySide6', 'fontTools', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=child_env()).stdout.strip()
    assert out == ""


# -- bad input --------------------------------------------------------------------------------------

def _texts(ddb, clerk, case_id, dpaths):
    import docx

    records = generate(ddb, clerk, case_id, dpaths)
    files = {r.format: (dpaths.documents / r.relpath).read_bytes() for r in records}
    document = docx.Document(io.BytesIO(files["docx"]))  # python-docx reads it back: not corrupt
    docx_text = "\n".join(p.text for p in document.paragraphs)
    docx_text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return compact(pdf_text(files["pdf"])), compact(docx_text)


def test_control_characters_are_stripped(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, plaintiff="王\x00堃\x07\x0b\x1f\ufeff", defendants=("李\x1b喆玥",))
    pdf, docx_text = _texts(ddb, clerk, case_id, dpaths)
    assert "王堃：" in pdf and "王堃：" in docx_text and "李喆玥" in pdf


def test_markup_characters_are_text(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, plaintiff="A&B <公司> 有限公司", defendants=("</para><font>",))
    pdf, docx_text = _texts(ddb, clerk, case_id, dpaths)
    assert "A&B<公司>有限公司" in pdf and "</para><font>" in pdf and "A&B<公司>有限公司" in docx_text


def test_ten_thousand_character_field_gives_a_long_clean_document(ddb, clerk, court_row, dpaths):
    long_name = ("王堃喆玥䶮" * 2000)[:10_000]
    case_id = add_case(ddb, plaintiff=long_name, defendants=(long_name,))
    from pypdf import PdfReader

    records = generate(ddb, clerk, case_id, dpaths)
    pdf = (dpaths.documents / records[0].relpath).read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 20
    assert long_name[:200] in compact(pdf_text(pdf))


def test_ext_b_character_in_a_name(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, plaintiff="王𠇔", defendants=("李喆玥",))
    pdf, docx_text = _texts(ddb, clerk, case_id, dpaths)
    assert "王𠇔：" in pdf and "王𠇔：" in docx_text


def test_character_no_font_has_names_the_field(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, plaintiff="王\U0002ebf0")
    with pytest.raises(MissingGlyph, match=r"受告知人（申请人）.*U\+2EBF0"):
        generate(ddb, clerk, case_id, dpaths)
    assert not any(dpaths.documents.rglob("*.*"))  # nothing half-written


def test_empty_optional_fields_and_no_address(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, defendants=(), cause="", address=None)
    pdf, docx_text = _texts(ddb, clerk, case_id, dpaths)
    for text in (pdf, docx_text):
        assert "None" not in text and "你民事纠纷一案" in text
        assert "调解员（工作人员）：__________" in text  # a line to fill in by hand


def test_no_plaintiff_is_a_calm_error(ddb, clerk, court_row, dpaths):
    case_id = add_case(ddb, plaintiff=" ")
    with pytest.raises(KnownError, match="申请人（起诉人）"):
        generate(ddb, clerk, case_id, dpaths)


def test_no_court_profile_is_a_calm_error(ddb, clerk, dpaths):
    case_id = add_case(ddb)
    with pytest.raises(KnownError, match="法院信息"):
        generate(ddb, clerk, case_id, dpaths)
