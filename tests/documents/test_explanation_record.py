"""判后答疑笔录 (explanation-record): one per tier, rendered to PDF and DOCX, saying the party's own appeal
deadline and the days left on the day, the reminders, the Q&A and the signature and fingerprint lines."""

from __future__ import annotations

import io
from datetime import date

import pytest

from baihe_desk.documents.templates import load_template  # noqa: E402
from baihe_desk.errors import KnownError  # noqa: E402
from baihe_desk.models.explanation import Channel, ExplanationTier, PartyDecision, RulingType  # noqa: E402
from baihe_desk.services.common import documents  # noqa: E402
from baihe_desk.services.common.document_kinds import KINDS  # noqa: E402
from baihe_desk.services.explanation import tiers as et  # noqa: E402
from baihe_desk.services.explanation.record import EXPLANATION_RECORD, PLACEHOLDERS  # noqa: E402
from tests.documents.docs_helpers import compact, pdf_text
from tests.services.explanation.test_explanation_support import TIER_TEXT, TODAY, build_org, judged  # noqa: E402


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += ["\t".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


@pytest.fixture
def org(db, users):
    return build_org(db, users)


def _three_tiers(db, org):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.defendant_id, channel=Channel.PHONE,
                              questions="签名问题", received_on=date(2026, 9, 25), on=TODAY)
        request_id, tier_id = req.id, req.tiers[0].id
    ids = []
    for n, (actor, decision) in enumerate([(org.judge, PartyDecision.STILL_OBJECTS),
                                           (org.chief, PartyDecision.STILL_OBJECTS),
                                           (org.vice_president, PartyDecision.WILL_APPEAL)]):
        with db.transaction() as s:
            et.record_tier(s, actor, tier_id, held_on=date(2026, 9, 28 + n), decision=decision, on=TODAY, **TIER_TEXT)
        ids.append(tier_id)
        if n < 2:
            with db.transaction() as s:
                tier_id = et.escalate(s, org.clerk, request_id, on=TODAY).id
    return ids


def test_registered_and_template_loads():
    assert KINDS["explanation-record"] is EXPLANATION_RECORD
    tpl = load_template(EXPLANATION_RECORD.resource_text(), PLACEHOLDERS, kind="explanation-record")
    assert tpl.version == 1 and tpl.title == "判后答疑笔录"


def test_sample_preview_renders():
    data = documents.preview_template(None, "explanation-record", EXPLANATION_RECORD.resource_text())
    assert data.startswith(b"%PDF") and "判后答疑笔录" in compact(pdf_text(data))


def test_each_tier_renders_to_pdf_and_docx_with_its_own_countdown(db, org, paths):
    judged(db, org)
    t1, t2, t3 = _three_tiers(db, org)
    with db.transaction() as s:
        first = et.generate_record(s, org.clerk, t1, paths=paths)
        third = et.generate_record(s, org.vice_president, t3, paths=paths)
    assert [(r.version, r.format) for r in first + third] == [(1, "pdf"), (1, "docx"), (2, "pdf"), (2, "docx")]
    with db.session() as s:
        assert s.get(ExplanationTier, t3).document_version == 2
    pdf1 = compact(pdf_text((paths.documents / first[0].relpath).read_bytes()))
    pdf3 = compact(pdf_text((paths.documents / third[0].relpath).read_bytes()))
    doc3 = compact(docx_text((paths.documents / third[1].relpath).read_bytes()))
    for text in (pdf3, doc3):
        assert "吉林省白河林区基层法院" in text and "判后答疑笔录" in text and "（2026）吉7502民初15号" in text
        assert "答疑人：吴德华（分管院长）" in text and "第三级答疑（分管院长）" in text
        assert "第一级答疑（承办法官李堃，2026年9月28日）；第二级答疑（庭长周建国，2026年9月29日）" in text
        assert "你方于2026年9月24日收到民事判决书，上诉期至2026年10月9日届满。答疑当日距上诉期届满尚余9日" in text
        assert "不延长上诉期限" in text and "第三百一十八条" in text and "不视为提起上诉" in text
        assert "第一百七十一条" in text and "第一百七十三条" in text
        assert "刘䶮：借条上的签名不是我签的" in text and "第六百七十五条" in text
        assert "□服判息诉■将上诉□申请再审□仍有异议" in text
        assert "当事人签名" in text and "当事人捺印" in text and "答疑人签名" in text and "记录人签名" in text
    assert "答疑当日距上诉期届满尚余11日" in pdf1 and "第一级答疑（承办法官）" in pdf1
    assert "申请由本院庭长进一步答疑" in pdf1 and "■仍有异议" in pdf1


def test_after_the_period_the_record_speaks_of_retrial(db, org, paths):
    judged(db, org)
    late = date(2026, 10, 12)
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.plaintiff_id, channel=Channel.VISIT,
                              questions="利息为何这样算？", on=late)
        et.record_tier(s, org.judge, req.tiers[0].id, held_on=late, decision=PartyDecision.RETRIAL, on=late,
                       **TIER_TEXT)
    out = documents.render_to_dir  # the CLI path: no tier given → the latest recorded tier
    with db.transaction() as s:
        pdf, docx = out(s, org.clerk, "explanation-record", "（2026）吉7502民初15号", ["pdf", "docx"], paths.root / "out")
    text = compact(pdf_text(pdf.read_bytes()))
    assert "上诉期已于2026年10月8日届满，不能再提起上诉" in text and "申请再审" in text and "第二百一十六条" in text
    assert "尚余" not in text and docx.exists()


def test_non_appealable_ruling_and_unrecorded_tier(db, org, paths):
    judged(db, org, kind="ruling", ruling_type=RulingType.OTHER)
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=org.plaintiff_id, channel=Channel.WINDOW,
                              questions="为何准许撤诉？", on=TODAY)
        tier_id = req.tiers[0].id
    with db.transaction() as s, pytest.raises(KnownError, match="尚未记录"):
        et.generate_record(s, org.clerk, tier_id, paths=paths)
    with db.transaction() as s:
        et.record_tier(s, org.judge, tier_id, held_on=TODAY, decision=PartyDecision.ACCEPTS, on=TODAY, **TIER_TEXT)
        (pdf,) = et.generate_record(s, org.clerk, tier_id, paths=paths, formats=("pdf",))
    text = compact(pdf_text((paths.documents / pdf.relpath).read_bytes()))
    assert "民事裁定书" in text and "不属于可以上诉的裁定" in text and "第一百五十七条第二款" in text
    assert "尚余" not in text
