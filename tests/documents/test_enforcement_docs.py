"""执行咨询函 and 执行建议 on the document engine: both render to PDF and DOCX with the consultation's
content, are recorded as generated documents, and the shipped templates preview with sample data."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

import baihe_desk.models.enforcement  # noqa: F401  (registers the enforcement tables for create_all)
from baihe_desk.errors import KnownError
from baihe_desk.models import PartyKind, Role, User
from baihe_desk.models.enforcement import Measure, TermKind, Verdict
from baihe_desk.services.common import documents
from baihe_desk.services.enforcement import advice as advice_svc
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.advice import ItemData
from baihe_desk.services.enforcement.draft import Attachment, PartyRow, draft_of
from baihe_desk.services.enforcement.enforceability import Instalment, TermData
from tests.documents.docs_helpers import compact, pdf_text

SENT_ON = date(2026, 9, 24)


def _user(db, username, role, name):
    with db.transaction() as s:
        user = User(username=username, display_name=name, role=role, password_hash="x", phone="0433-5710020")
        s.add(user)
    return user


@pytest.fixture
def people(ddb, court_row):
    return _user(ddb, "faguan", Role.JUDGE, "法官 李堃"), _user(ddb, "zhixing", Role.ENFORCEMENT, "执行局 郑刚")


def make_consultation(ddb, judge, case_id, *, send=True, gaps=False):
    with ddb.transaction() as s:
        c = svc.create(s, judge, case_id)
        data = draft_of(c)
        data.from_department = "民事审判庭"
        data.stage_note = "调解中，拟出具民事调解书"
        data.parties[1].assets = "工资收入\n白河镇住房一套"
        data.parties.append(PartyRow("白河林海商贸有限公司", "担保人", PartyKind.ORGANISATION, "91222426MA0Y3B5K7X"))
        data.terms = [TermData(
            kind=TermKind.MONEY, text="被告李喆玥于2028年12月31日前分三期偿还原告王堃借款本金120000元。",
            obligors="李喆玥", obligees="王堃", amount=Decimal("120000"), perform_manner="转账至原告账户",
            guarantor="白河林海商贸有限公司", guarantee_mode="joint", guarantee_scope="本金及实现债权的费用",
            acceleration="" if gaps else "任何一期未按期足额履行的，原告有权就全部未付款项一并申请执行。",
            instalments=[Instalment(date(2026, 12, 31), Decimal("40000")),
                         Instalment(date(2027, 12, 31), Decimal("40000")),
                         Instalment(date(2028, 12, 31), Decimal("40000"))])]
        data.questions = ["担保人的保证期间如何表述？"]
        data.attachments = [Attachment("借条复印件", "卷宗第12页")]
        svc.save_draft(s, judge, c.id, data)
        if send:
            svc.send(s, judge, c.id, acknowledge_gaps=gaps, today=SENT_ON)
        return c.id


def reply(ddb, officer, cid):
    with ddb.transaction() as s:
        data = advice_svc.prefill(svc.load(s, cid))
        data.items[0].verdict = Verdict.NEEDS_CHANGE
        data.items[0].reason = "未写明保证期间。\n执行中无法判断担保人责任是否届满。"
        data.items[0].suggestion = "增加：保证期间为最后一期履行期限届满之日起六个月。"
        data.items.append(ItemData(measure=Measure.PRESERVATION, amount=Decimal("120000"),
                                   suggestion=advice_svc.DEFAULT_WORDING[Measure.PRESERVATION]))
        data.property_clues = "被告李喆玥名下白河镇住房一套。"
        data.answers = ["自最后一期履行期限届满之日起六个月。"]
        data.contact_phone = "0433-5710030"
        advice_svc.submit_reply(s, officer, cid, data, today=date(2026, 10, 9))


def test_consultation_renders_to_pdf_and_docx(ddb, people, case_id, dpaths):
    judge, _ = people
    cid = make_consultation(ddb, judge, case_id, gaps=True)
    with ddb.transaction() as s:
        records = documents.generate(s, judge, "enforcement-consultation", case_id, ("pdf", "docx"), paths=dpaths,
                                     options={"consultation_id": cid})
    assert [(r.format, r.title, r.template_version) for r in records] == [
        ("pdf", "执行咨询函", "resource:1"), ("docx", "执行咨询函", "resource:1")]
    text = compact(pdf_text((dpaths.documents / records[0].relpath).read_bytes()))
    for part in ("执行咨询函", "（2026）吉7502执咨1号", "本院执行局：", "第四百六十一条", "一、案件基本情况",
                 "被告：李喆玥", "已知财产：工资收入；白河镇住房一套", "担保人：白河林海商贸有限公司",
                 "1．被告李喆玥于2028年12月31日前分三期偿还原告王堃借款本金120000元。", "分期履行（共3期）",
                 "第1期2026年12月31日前40000元", "给付金额：120000元", "履行期限：按上列分期", "四、请求研究的问题", "1．担保人的保证期间如何表述？",
                 "五、系统检查提示", "加速到期", "请于2026年10月15日前书面回复", "附件：1．借条复印件（卷宗第12页）", "本院受理的王堃诉李喆玥、刘䶮民间借贷纠纷一案（收件号：收2026-0001）", "吉林省白河林区基层法院民事审判庭",
                 "二〇二六年九月二十四日", "承办法官：李堃"):
        assert part in text, part
    assert "院印" not in text
    from docx import Document as Docx

    docx_text = "\n".join(p.text for p in Docx(io.BytesIO((dpaths.documents / records[1].relpath).read_bytes()))
                          .paragraphs)
    assert "执行咨询函" in docx_text and "（2026）吉7502执咨1号" in docx_text and "担保人的保证期间如何表述？" in docx_text


def test_advice_renders_with_preservation_fee(ddb, people, case_id, dpaths):
    judge, officer = people
    cid = make_consultation(ddb, judge, case_id)
    reply(ddb, officer, cid)
    with ddb.transaction() as s:
        records = documents.generate(s, officer, "enforcement-advice", case_id, ("pdf", "docx"), paths=dpaths)
    text = compact(pdf_text((dpaths.documents / records[0].relpath).read_bytes()))
    for part in ("执行建议", "（2026）吉7502执建1号", "民事审判庭李堃法官：", "（2026）吉7502执咨1号《执行咨询函》收悉", "王堃诉李喆玥、刘䶮民间借贷纠纷一案（收件号：收2026-0001）",
                 "（一）第1项：需修改后方可执行", "理由：未写明保证期间。", "执行中无法判断担保人责任是否届满。",
                 "建议表述：增加：保证期间为最后一期履行期限届满之日起六个月。", "二、义务人财产线索",
                 "1．诉讼保全：", "第一百零三条", "保全申请费为1120元", "第三十八条第三款",
                 "1．担保人的保证期间如何表述？", "答：自最后一期履行期限届满之日起六个月。",
                 "执行局承办人：郑刚", "吉林省白河林区基层法院执行局", "二〇二六年十月九日"):
        assert part in text, part
    assert "五、风险提示" not in text


def test_draft_consultation_is_marked_and_advice_needs_a_reply(ddb, people, case_id, dpaths):
    judge, officer = people
    make_consultation(ddb, judge, case_id, send=False)
    with ddb.transaction() as s:
        out = documents.render_to_dir(s, judge, "enforcement-consultation", "收2026-0001", ["pdf"], dpaths.root / "out")
        assert "（草稿，尚未发送）" in compact(pdf_text(out[0].read_bytes()))
        with pytest.raises(KnownError, match="尚未对该执行咨询函作出执行建议"):
            documents.render_to_dir(s, judge, "enforcement-advice", "收2026-0001", ["pdf"], dpaths.root / "out")


@pytest.mark.parametrize("kind", ["enforcement-consultation", "enforcement-advice"])
def test_shipped_templates_preview_with_sample_data(kind):
    pdf = documents.preview_template(None, kind, documents.KINDS[kind].resource_text())
    assert pdf.startswith(b"%PDF") and "王堃" in compact(pdf_text(pdf))
