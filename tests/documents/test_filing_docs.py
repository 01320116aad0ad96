"""补正通知书 (correction-notice) and 送达地址确认书 (address-confirmation) on the document engine:
the PDF and DOCX read back hold every defect with its articles, the deadline, the parties and the
e-service choice."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

import pytest

from baihe_desk.errors import KnownError
from baihe_desk.models import Case, PartyKind, PartyRole
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.common import documents
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing import service_address as sa
from baihe_desk.services.filing.documents import merge_citations
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case
from tests.documents.docs_helpers import compact, pdf_text

RECEIVED = today_local() - timedelta(days=4)
ID_WANG = dd.make_id_number(random.Random(3), "222426", date(1986, 4, 12), male=True)


def _case(ddb, clerk) -> Case:
    data = CaseInput(
        cause_name="民间借贷纠纷", claim_amount="12800", claims="请求判令被告偿还借款12800元", facts="被告借款未还。",
        received_on=RECEIVED, parties=[
            PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number=ID_WANG,
                       ethnicity="汉族", occupation="个体经营者", domicile="吉林省安图县二道白河镇白山大街1号",
                       phone="13943301234", agents=[AgentInput(name="赵喆", phone="13943300000")]),
            PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李喆玥", domicile="吉林省安图县松江镇1号"),
        ])
    with ddb.transaction() as s:
        return create_case(s, clerk, data, court_code="吉7502")


def _correction(ddb, clerk, case_id):
    with ddb.transaction() as s:
        case = s.get(Case, case_id)
        review = cr.start_review(s, clerk, case, RECEIVED)
        cr.answer(s, clerk, review, "cond.defendant_identified", "fail", "被告李喆玥仅有姓名和乡镇地址。")
        cr.answer(s, clerk, review, "mat.power_of_attorney", "fail", "未提交授权委托书")
        for row in cr.review_sheet(s, review):
            if row.answer is None or row.prefilled:
                cr.answer(s, clerk, review, row.item.id, row.answer or "pass")
        result = cr.finish(s, clerk, review, "correction", decided_on=RECEIVED + timedelta(days=1))
        return review.id, result.correction_deadline


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_merge_citations_groups_articles_by_law():
    assert merge_citations(["《甲法》第一条", "《甲法》第二条第一项", "《乙规定》第七条", "《甲法》第一条"]) == \
        "《甲法》第一条、第二条第一项；《乙规定》第七条"


def test_correction_notice_lists_every_defect_with_its_articles(ddb, clerk, court_row, dpaths):
    case_id = _case(ddb, clerk).id
    review_id, deadline = _correction(ddb, clerk, case_id)
    with ddb.transaction() as s:
        pdf, docx = documents.generate(s, clerk, "correction-notice", case_id, paths=dpaths,
                                       options={"review_id": review_id})
        assert pdf.title == "补正通知书" and pdf.template_version == "resource:1"
    text = compact(pdf_text((dpaths.documents / pdf.relpath).read_bytes()))
    word = compact(_docx_text((dpaths.documents / docx.relpath).read_bytes()))
    deadline_text = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    for body in (text, word):
        for expected in (
            "补正通知书", "王堃：", "李喆玥", "民间借贷纠纷", "有下列2项不符合要求",
            # defect 1 with every article of its basis
            "1．起诉状所列被告信息不足以使被告与他人相区别（被告李喆玥仅有姓名和乡镇地址）。",
            "第一百二十二条第二项", "第一百二十四条第二项", "第二百零九条", "第六条第三项",
            # defect 2
            "（未提交授权委托书）", "第六条第二项",
            # deadline, consequences (登记立案规定第七条) and the complaint route (第十三条)
            f"于{deadline_text}（含当日）前补正", "补正期限为15日", "第七条第二款", "第七条第三款", "第七条第四款",
            "退回诉状并记录在册", "第十三条", "投诉", "0433-5550123",
        ):
            assert expected in body, expected
    assert text.count("补正要求：") == 2 and text.count("法律依据：") == 2
    # the receipt slip names the deadline too
    assert f"补正期限至{deadline_text}" in text


def test_correction_notice_without_a_correction_round_is_refused(ddb, clerk, court_row, dpaths):
    case_id = _case(ddb, clerk).id
    with ddb.transaction() as s, pytest.raises(KnownError, match="没有以“通知补正”结束的立案审查"):
        documents.generate(s, clerk, "correction-notice", case_id, paths=dpaths)


def test_address_confirmation_signed_with_e_service_and_blank_form(ddb, clerk, court_row, dpaths):
    case = _case(ddb, clerk)
    plaintiff, defendant = case.parties[0].id, case.parties[1].id
    with ddb.transaction() as s:
        sa.record_confirmation(s, clerk, s.get(type(case.parties[0]), plaintiff), sa.ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街1号", confirmed_on=RECEIVED, postcode="133613", phone="13943301234",
            recipient_name="赵喆", recipient_relation="委托诉讼代理人", recipient_phone="13943300000",
            e_service_consent=True, e_mobile="13943301234", e_wechat="wangkun_1986"))
        signed = documents.generate(s, clerk, "address-confirmation", case.id, ["pdf"], paths=dpaths,
                                    options={"party_id": plaintiff})[0]
        blank = documents.generate(s, clerk, "address-confirmation", case.id, ["pdf", "docx"], paths=dpaths,
                                   options={"party_id": str(defendant)})
    text = compact(pdf_text((dpaths.documents / signed.relpath).read_bytes()))
    for expected in ("送达地址确认书", "王堃（申请人）", ID_WANG, "吉林省安图县二道白河镇白山大街1号", "133613",
                     "赵喆", "委托诉讼代理人", "■同意", "□不同意", "■手机号码（短信）13943301234", "□电子邮箱",
                     "■微信号wangkun_1986", f"{RECEIVED.year}年{RECEIVED.month}月{RECEIVED.day}日",
                     "送达地址有关事项告知书", "第一百三十七条", "第十一条", "第九十条第一款", "第一百三十六条"):
        assert expected in text, expected
    assert "说明：请在相应的□内" not in text  # a printed record of a signed form, not a form to fill in
    form = compact(pdf_text((dpaths.documents / blank[0].relpath).read_bytes()))
    assert "李喆玥（被申请人）" in form and "受送达人签名（捺印）" in form and "□同意□不同意" in form and "■" not in form
    assert "说明：请在相应的□内" in form and "备注：" not in form
    assert "李喆玥" in compact(_docx_text((dpaths.documents / blank[1].relpath).read_bytes()))


def test_address_confirmation_party_must_belong_to_the_case(ddb, clerk, court_row, dpaths):
    case = _case(ddb, clerk)
    with ddb.transaction() as s, pytest.raises(KnownError, match="不属于本案"):
        documents.generate(s, clerk, "address-confirmation", case.id, ["pdf"], paths=dpaths,
                           options={"party_id": "00000000-0000-0000-0000-000000000001"})


@pytest.mark.parametrize("kind", ["correction-notice", "address-confirmation"])
def test_shipped_templates_preview_with_sample_values(kind):
    kind_obj = documents.KINDS[kind]
    pdf = documents.preview_template(None, kind, kind_obj.resource_text())
    assert pdf.startswith(b"%PDF") and kind_obj.title in compact(pdf_text(pdf))
