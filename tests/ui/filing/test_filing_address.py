"""送达地址 panel, driven as a clerk: a defendant company verified through 工商登记 (企业信用信息公示系统),
a natural person whose address fails and is flagged, the attempts log with the legal service date,
a signed 送达地址确认书 with e-service consent and its document, and the 送达风险 column of the case list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from baihe_desk.models import AuditRecord, Case, PartyKind, PartyRole, Procedure
from baihe_desk.models.service_address import (
    AddressSource,
    AddressVerification,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case
from baihe_desk.ui.cases.case_list import CaseListPage
from baihe_desk.ui.cases.table_model import COL_RISK, RISK_TEXT
from baihe_desk.ui.common.qt import Qt, is_alive
from baihe_desk.ui.filing.address import ServiceAddressPanel
from tests.ui.helpers import credit_code, id_number, type_text

TODAY = today_local()
COMPANY, PERSON = "白河林业物业服务有限公司", "李喆玥"


@pytest.fixture
def fdb(db):
    from baihe_desk.models import Base

    Base.metadata.create_all(db.engine)  # adds any table the migration does not have yet
    return db


@pytest.fixture
def case_id(fdb, clerk, court):
    data = CaseInput(cause_name="买卖合同纠纷", claim_amount="30000", claims="请求判令被告支付货款30000元", facts="……",
                     received_on=TODAY - timedelta(days=2), procedure=Procedure.SIMPLE, parties=[
                         PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number=id_number(),
                                    domicile="吉林省安图县二道白河镇白山大街1号", postcode="133613", phone="13943301234"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.ORGANISATION, name=COMPANY,
                                    credit_code=credit_code(), domicile="吉林省安图县二道白河镇池北大街8号"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=PERSON,
                                    domicile="吉林省安图县松江镇河南街3号"),
                     ])
    with fdb.transaction() as s:
        return create_case(s, clerk, data, court_code="吉7502").id


@pytest.fixture
def panel(qtbot, fdb, paths, clerk, case_id):
    p = ServiceAddressPanel(fdb, paths, clerk)
    qtbot.addWidget(p)
    p.resize(1300, 800)
    p.show()
    p.set_case(case_id)
    qtbot.waitUntil(lambda: p.data is not None and p.parties.count() == 3, timeout=5000)
    return p


def pick_party(panel, name: str) -> None:
    row = next(i for i, p in enumerate(panel.data.parties) if p.name == name)
    panel.parties.setCurrentRow(row)


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def save_dialog(qtbot, panel, dialog) -> None:
    def closed() -> bool:
        return not is_alive(dialog) or not dialog.isVisible()

    loads = panel.loads
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed() or bool(dialog.error.text()), timeout=5000)
    assert closed(), dialog.error.text()
    qtbot.waitUntil(lambda: panel.loads > loads, timeout=5000)


def test_company_verified_person_flagged_attempts_and_confirmation(qtbot, panel, fdb, paths, case_id):
    # the intake addresses became records: the defendants' addresses are only 起诉状所列, unverified
    assert "⚠ 送达风险" in panel.risk.text() and COMPANY in panel.risk.text() and PERSON in panel.risk.text()
    assert "企业信用信息公示系统" in panel.risk.text()
    assert [panel.parties.item(i).text() for i in range(3)] == ["原告 王堃", f"⚠ 被告 {COMPANY}", f"⚠ 被告 {PERSON}"]

    # company: add the 工商登记 address and verify it through the enterprise credit publicity system
    pick_party(panel, COMPANY)
    dialog = panel.add_address()
    sources = [dialog.source.itemData(i) for i in range(dialog.source.count())]
    assert AddressSource.BUSINESS_REGISTRATION in sources and AddressSource.HOUSEHOLD not in sources
    choose(dialog.source, AddressSource.BUSINESS_REGISTRATION)
    type_text(dialog.text, "吉林省安图县二道白河镇池北大街8号")
    save_dialog(qtbot, panel, dialog)
    pick_party(panel, COMPANY)
    company = next(p for p in panel.data.parties if p.name == COMPANY)
    row = next(i for i, a in enumerate(company.addresses) if a.source_label.startswith("工商登记"))
    panel.addresses.setCurrentIndex(panel.address_model.index(row, 0))
    dialog = panel.verify_address()
    methods = [dialog.method.itemData(i) for i in range(dialog.method.count())]
    assert VerificationMethod.HOUSEHOLD_QUERY not in methods
    choose(dialog.method, VerificationMethod.ENTERPRISE_QUERY)
    choose(dialog.result, VerificationResult.CONFIRMED)
    type_text(dialog.note, "登记住所一致，存续")
    save_dialog(qtbot, panel, dialog)
    assert COMPANY not in panel.risk.text() and PERSON in panel.risk.text()
    pick_party(panel, COMPANY)
    assert panel.address_model.index(0, 3).data() == "可用"
    assert "企业信用信息公示系统查询：地址属实" in panel.address_model.index(0, 2).data()

    # the person: the grid worker finds nobody at the complaint's address → flagged with the reason
    pick_party(panel, PERSON)
    panel.addresses.setCurrentIndex(panel.address_model.index(0, 0))
    dialog = panel.verify_address()
    assert VerificationMethod.ENTERPRISE_QUERY not in [dialog.method.itemData(i) for i in range(dialog.method.count())]
    choose(dialog.method, VerificationMethod.GRID_WORKER)
    choose(dialog.result, VerificationResult.NOT_FOUND)
    type_text(dialog.verifier, "网格员刘某")
    save_dialog(qtbot, panel, dialog)
    assert "查无此人" in panel.risk.text() and "户籍" in panel.risk.text()
    assert panel.parties.item(2).text() == f"⚠ 被告 {PERSON}" and panel.parties.item(1).text() == f"被告 {COMPANY}"

    # attempts: a returned letter at an unconfirmed address is not service; a signed one is
    pick_party(panel, PERSON)
    dialog = panel.record_attempt()
    choose(dialog.method, ServiceMethod.POST)
    choose(dialog.result, ServiceResult.NO_SUCH_PERSON)
    choose(dialog.address, panel.current_party().addresses[0].id)
    qtbot.keyClicks(dialog.tracking, "1169912345678")
    dialog.returned_on.set_value(TODAY)
    save_dialog(qtbot, panel, dialog)
    pick_party(panel, PERSON)
    assert panel.attempt_model.index(0, 3).data() == "查无此人" and panel.attempt_model.index(0, 6).data() == "未送达"
    assert "不能视为送达" in panel.attempt_model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)
    # 公告送达 in 简易程序: the dialog says so and the service refuses, naming the rule
    dialog = panel.record_attempt()
    choose(dialog.method, ServiceMethod.PUBLIC_NOTICE)
    assert dialog.warning.isVisibleTo(dialog) and "普通程序" in dialog.warning.text()
    type_text(dialog.note, "被告下落不明")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
    assert "第一百四十条" in dialog.error.text() and dialog.isVisible()
    dialog.reject()

    pick_party(panel, COMPANY)
    dialog = panel.record_attempt()
    choose(dialog.method, ServiceMethod.POST)
    choose(dialog.result, ServiceResult.SIGNED)
    qtbot.keyClicks(dialog.tracking, "1169912345679")
    dialog.on.set_value(TODAY - timedelta(days=1))
    dialog.signed_on.set_value(TODAY)
    type_text(dialog.signer, "负责收件的人")
    save_dialog(qtbot, panel, dialog)
    pick_party(panel, COMPANY)
    assert panel.attempt_model.index(0, 6).data() == str(TODAY)

    # the plaintiff signs the 送达地址确认书 and agrees to e-service by SMS
    pick_party(panel, "王堃")
    dialog = panel.record_confirmation()
    assert dialog.text.text() == "吉林省安图县二道白河镇白山大街1号" and not dialog.e_mobile.isEnabled()
    dialog.consent.click()
    qtbot.keyClicks(dialog.e_mobile, "13943301234")
    type_text(dialog.r_name, "赵喆")
    save_dialog(qtbot, panel, dialog)
    pick_party(panel, "王堃")
    assert panel.current_party().e_channels == ["mobile"]
    assert panel.address_model.index(0, 0).data() == "送达地址确认书"
    qtbot.mouseClick(panel.buttons["generate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.last_document is not None, timeout=15_000)
    from pypdf import PdfReader

    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(panel.last_document[0].read_bytes())).pages)
    assert "王堃（申请人）" in text and "■同意" in text and "■手机号码（短信）13943301234" in text and "赵喆" in text

    with fdb.session() as s:
        checks = s.scalars(select(AddressVerification).order_by(AddressVerification.created_at)).all()
        assert [(c.method, c.result) for c in checks] == [
            (VerificationMethod.ENTERPRISE_QUERY, VerificationResult.CONFIRMED),
            (VerificationMethod.GRID_WORKER, VerificationResult.NOT_FOUND)]
        assert checks[1].verifier_name == "网格员刘某"
        attempts = s.scalars(select(ServiceAttempt).where(ServiceAttempt.case_id == case_id)
                             .order_by(ServiceAttempt.created_at)).all()
        assert [(a.method, a.result, a.tracking_number) for a in attempts] == [
            (ServiceMethod.POST, ServiceResult.NO_SUCH_PERSON, "1169912345678"),
            (ServiceMethod.POST, ServiceResult.SIGNED, "1169912345679")]
        actions = {a.action for a in s.scalars(select(AuditRecord))}
        assert {"service_address.add", "service_address.verify", "service_address.confirm", "service.attempt",
                "document.generate"} <= actions
        assert s.get(Case, case_id) is not None


def test_case_list_shows_the_risk_with_reasons(qtbot, fdb, clerk, case_id):
    page = CaseListPage(fdb)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.loaded_once and not page.model.loading, timeout=5000)
    index = page.model.index(0, COL_RISK)
    assert index.data() == RISK_TEXT
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert f"被告{COMPANY}" in tip and f"被告{PERSON}" in tip and "尚未登记为送达地址" in tip
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"


def test_page_risks_agree_with_the_service(fdb, clerk, case_id):
    from baihe_desk.services.filing import service_address as sa
    from baihe_desk.ui.filing.risk import page_risks

    with fdb.transaction() as s:
        case = s.get(Case, case_id)
        sa.import_intake_addresses(s, clerk, case)
        company = next(p for p in case.parties if p.kind is PartyKind.ORGANISATION)
        sa.verify_address(s, clerk, sa.addresses_of(s, company)[0], VerificationMethod.PHONE,
                          VerificationResult.CONFIRMED, TODAY)
    with fdb.session() as s:
        case = s.get(Case, case_id)
        assert page_risks(s, [case_id]) == {case_id: sa.address_risks(case).messages()}
        assert len(page_risks(s, [case_id])[case_id]) == 1
