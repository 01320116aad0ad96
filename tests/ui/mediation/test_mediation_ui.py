"""pytest-qt: the 诉前调解 page (filing clerk) and the 调解工作台 (mediator), driven as users would,
then checked in the database and in the generated files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.models import Case, GeneratedDocument, Party, Role, Stage
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOutcome,
    MediationStatus,
    OrganisationKind,
    PartyChoice,
)
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import Qt, QWidget
from baihe_desk.ui.mediation.models import OVERDUE_RED
from baihe_desk.ui.mediation.referral import MediationReferralPage
from baihe_desk.ui.mediation.workbench import MediationWorkbenchPage
from tests.ui.helpers import answer_question, type_text
from tests.ui.mediation.test_mediation_support import (
    TODAY,
    add_case,
    assigned,
    click,
    click_row,
    create_tables,
    roster,
)

pytest.importorskip("PySide6.QtPdfWidgets")


@pytest.fixture
def world(db, users):
    create_tables(db)
    orgs, first, second = roster(db, users)
    return orgs, first, second


def _page(qtbot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def window_page(qtbot, db, paths, users, world):
    def make() -> MediationReferralPage:
        page = _page(qtbot, MediationReferralPage(db, paths, users[Role.FILING_CLERK]))
        page.confirm = lambda _title, _text: True  # the clerk answers 是 (tests/ui/common/test_confirmations.py clicks)
        return page
    return make


@pytest.fixture
def workbench(qtbot, db, paths, users, world):
    def make(user) -> MediationWorkbenchPage:  # type: ignore[no-untyped-def]
        page = _page(qtbot, MediationWorkbenchPage(db, paths, user))
        return page
    return make


def settle() -> None:
    """Every background load and write finished and delivered (including the reloads they start)."""
    assert background.wait_all(30_000)


def _open_case(qtbot, page, receipt: str) -> None:
    settle()
    click_row(qtbot, page.table, [r.receipt_number for r in page.model.rows].index(receipt))
    settle()
    assert page.detail and page.detail.receipt_number == receipt


def _wait_status(qtbot, page, text: str) -> None:
    qtbot.waitUntil(lambda: text in page.status.text(), timeout=30_000)
    settle()


def _mediation(db, case_id) -> MediationCase:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalars(select(MediationCase).where(MediationCase.case_id == case_id)
                         .order_by(MediationCase.created_at.desc())).first()


def test_every_interactive_widget_is_named(window_page, workbench, users):
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QCheckBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QPushButton,
        QTableView,
        QTabWidget,
        QTextBrowser,
    )

    kinds = (QPushButton, QCheckBox, QComboBox, QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTableView, QTabWidget,
             QTextBrowser)
    from baihe_desk.ui.mediation.roster import MediationRosterPage

    roster_page = MediationRosterPage(window_page().db, window_page().paths, users[Role.ADMIN])
    for page in (window_page(), workbench(users[Role.MEDIATOR]), roster_page):
        widgets = [w for w in page.findChildren(QWidget) if isinstance(w, kinds)
                   and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))]
        assert len(widgets) >= 12
        for w in widgets:
            assert w.objectName() and w.accessibleName(), (type(w).__name__, w.objectName())


def test_clerk_recommends_hands_out_the_notice_and_assigns(qtbot, db, paths, users, world, window_page):
    orgs, first, _second = world
    case = add_case(db, "2026收00101")
    page = window_page()
    _open_case(qtbot, page, "2026收00101")
    # the suggestion, its reason and basis are shown; the override needs a reason
    text = page.suggestion.text()
    assert "建议诉前调解" in text and "诉非联动服务站" in text and "物业" in text and "第一百二十五条" in text
    page.refer.setCurrentIndex(2)  # 不引导诉前调解 — differs from the suggestion
    assert page.override.isEnabled()
    page.refer.setCurrentIndex(0)  # back to the suggestion
    assert not page.override.isEnabled()
    click(qtbot, page.recommend_button)
    _wait_status(qtbot, page, "引导诉前调解")

    click(qtbot, page.hand_out_button)
    _wait_status(qtbot, page, "已生成并发放诉前调解告知书第 1 版")
    assert "已于" in page.notice_state.text()
    m = _mediation(db, case.id)
    assert m.status is MediationStatus.NOTICE_GIVEN and m.notice_document_id is not None
    with db.session() as s:
        doc = s.get(GeneratedDocument, m.notice_document_id)
        assert doc.kind == "mediation-notice" and (paths.documents / doc.relpath).is_file()

    shown = []
    page.exec_dialog = lambda dialog: shown.append(dialog.document.pageCount()) or dialog.close()
    click(qtbot, page.preview_button)
    assert shown and shown[0] >= 2  # the notice and its 回执 page

    page.choice.setCurrentIndex(page.choice.findData(PartyChoice.AGREE.value))
    click(qtbot, page.choice_button)
    _wait_status(qtbot, page, "民诉前调1号")
    assert page.organisation.currentData().kind is OrganisationKind.STATION  # the suggested channel
    page.mediator.setCurrentIndex(page.mediator.findData(str(first.id)))
    click(qtbot, page.assign_button)
    _wait_status(qtbot, page, "已委派")
    m = _mediation(db, case.id)
    assert (m.status, m.mediator_id, m.mediation_number) == (
        MediationStatus.ASSIGNED, first.id, f"（{TODAY.year}）吉7502民诉前调1号")
    with db.session() as s:
        assert s.get(Case, case.id).stage is Stage.PRE_MEDIATION


def test_refusal_sends_the_case_back_to_filing(qtbot, db, users, world, window_page):
    case = add_case(db, "2026收00102")
    page = window_page()
    _open_case(qtbot, page, "2026收00102")
    for button, text in ((page.recommend_button, "引导诉前调解"), (page.hand_out_button, "已生成")):
        click(qtbot, button)
        _wait_status(qtbot, page, text)
    page.choice.setCurrentIndex(page.choice.findData(PartyChoice.REFUSE.value))
    click(qtbot, page.choice_button)
    _wait_status(qtbot, page, "已退回立案审查")
    m = _mediation(db, case.id)
    assert m.status is MediationStatus.DECLINED and m.mediation_number is None and m.choice_signed_on == TODAY
    with db.session() as s:
        assert s.get(Case, case.id).stage is Stage.RECEIVED


def test_mediator_records_two_sessions_and_an_agreement_for_judicial_confirmation(qtbot, db, users, world, workbench):
    orgs, first, _second = world
    case = add_case(db, "2026收00103", defendants=("王堃", "李喆玥"))
    m = assigned(db, users, case, orgs[OrganisationKind.STATION], first)
    page = workbench(users[Role.MEDIATOR])
    settle()
    assert len(page.model.rows) == 1
    click_row(qtbot, page.table, 0)
    settle()
    assert page.accept_box.isVisible()
    click(qtbot, page.accept_button)
    _wait_status(qtbot, page, "已签收")
    # the day after acceptance is day 1: 11-18 + 30 = 12-18 (Friday)
    assert "剩余 30 日" in page.record.toPlainText() and "到期日 2026-12-18" in page.record.toPlainText()

    form = page.session_form
    for attendees, agreed, disputed in (("原告代理人张明、被告王堃、李喆玥", "拖欠物业费数额无异议", "滞纳金"),
                                        ("原告代理人张明、被告王堃", "免除滞纳金，分两期付清", "")):
        type_text(form.attendees, attendees)
        type_text(form.place, "诉非联动服务站调解室")
        type_text(form.agreed, agreed)
        if disputed:
            type_text(form.disputed, disputed)
        click(qtbot, form.submit)
        _wait_status(qtbot, page, "调解记录")
    assert "第2次" in page.record.toPlainText()

    page.tabs.setCurrentIndex(4)
    out = page.outcome_form
    out.select(MediationOutcome.CONFIRMATION)
    assert "不交纳案件受理费" in out.explain.text()
    type_text(out.agreement, "被告于本月底前分两期支付物业服务费6800元，原告放弃滞纳金")
    out.joint.setChecked(True)
    asked = answer_question(qtbot, yes=False)  # 否: nothing is recorded, the form keeps what was typed
    click(qtbot, out.submit)
    qtbot.waitUntil(lambda: bool(asked), timeout=15_000)
    settle()
    assert "登记后不能撤销" in asked[0]
    with db.session() as s:
        assert s.get(MediationCase, m.id).status is MediationStatus.IN_PROGRESS
    assert "分两期" in out.agreement.toPlainText()
    asked = answer_question(qtbot, yes=True)
    click(qtbot, out.submit)
    _wait_status(qtbot, page, "诉前调确1号")
    with db.session() as s:
        row = s.get(MediationCase, m.id)
        assert row.status is MediationStatus.SUCCEEDED and row.outcome is MediationOutcome.CONFIRMATION
        assert row.outcome_number == f"（{TODAY.year}）吉7502诉前调确1号" and row.fee_total == Decimal("0")
        assert [x.attendees for x in row.sessions] == ["原告代理人张明、被告王堃、李喆玥", "原告代理人张明、被告王堃"]
        assert s.get(Case, case.id).stage is Stage.CLOSED


def test_an_expired_case_shows_red_and_is_filed_with_its_parties(qtbot, db, users, world, workbench):
    orgs, first, _second = world
    case = add_case(db, "2026收00104", defendants=("王堃", "刘䶮"))
    m = assigned(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=35)
    with db.session() as s:
        parties = [(p.id, p.name) for p in s.scalars(select(Party).where(Party.case_id == case.id)
                                                      .order_by(Party.sort_order))]
    page = workbench(users[Role.MEDIATOR])
    settle()
    assert len(page.model.rows) == 1
    idx = page.model.index(0, 1)
    assert idx.data().startswith("已超期") and idx.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_RED
    assert "超期 1 件" in page.count.text()
    click_row(qtbot, page.table, 0)
    settle()
    page.tabs.setCurrentIndex(4)
    assert page.outcome_form.outcome() is MediationOutcome.EXPIRED  # offered first once overdue
    type_text(page.outcome_form.facts, "被告欠付2025年度物业服务费6800元的事实双方无争议")
    answer_question(qtbot, yes=True)
    click(qtbot, page.outcome_form.submit)
    _wait_status(qtbot, page, "已登记立案")
    with db.session() as s:
        c, row = s.get(Case, case.id), s.get(MediationCase, m.id)
        assert (c.stage, c.case_number) == (Stage.FILED, f"（{TODAY.year}）吉7502民初1号")
        assert [(p.id, p.name) for p in s.scalars(select(Party).where(Party.case_id == case.id)
                                                 .order_by(Party.sort_order))] == parties
        assert row.mediation_number.endswith("民诉前调1号") and row.filed_case_number == c.case_number
        assert row.outcome is MediationOutcome.EXPIRED and "无争议" in row.undisputed_facts
    assert f"{TODAY.year}）吉7502民初1号" in page.status.text()


def test_a_mediator_sees_only_their_own_cases(qtbot, db, users, world, workbench):
    orgs, first, second = world
    assigned(db, users, add_case(db, "2026收00105"), orgs[OrganisationKind.STATION], first)
    assigned(db, users, add_case(db, "2026收00106", defendants=("李喆玥",)), orgs[OrganisationKind.STATION], second)
    mine = workbench(users[Role.MEDIATOR])
    theirs = workbench(users["mediator2"])
    qtbot.waitUntil(lambda: len(mine.model.rows) == 1 and len(theirs.model.rows) == 1, timeout=10_000)
    assert mine.model.rows[0].defendants == "王堃" and theirs.model.rows[0].defendants == "李喆玥"
    mine.search.setText("李喆玥")
    mine.refresh()
    qtbot.waitUntil(lambda: mine.model.rows == [], timeout=10_000)
