"""Irreversible actions ask once, after the form was checked, and say exactly what will happen; 否
changes nothing, 是 does it (clicked, as the clerk would)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.models import Case, Role, Stage
from baihe_desk.models.mediation import MediationOutcome
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QMessageBox, QPushButton, Qt
from tests.fake_today import travel_to
from tests.ui.helpers import commit_text
from tests.ui.mediation.test_mediation_support import add_case, assigned, click_row, create_tables, roster


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The mediations here are proposed on dates of late 2026, and the desk refuses a date later than today:
    these tests run on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    from datetime import date

    with travel_to(date(2026, 12, 5)):
        yield


pytest.importorskip("PySide6.QtPdfWidgets")


def settle() -> None:
    assert background.wait_all(30_000)


def answer(qtbot, owner, name: str) -> str:
    qtbot.waitUntil(lambda: owner.findChild(QMessageBox, "confirmBox") is not None, timeout=10_000)
    box = owner.findChild(QMessageBox, "confirmBox")
    text = box.text()
    qtbot.mouseClick(box.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: owner.findChild(QMessageBox, "confirmBox") is None)
    settle()
    return text


def stage_of(db, case_id):
    with db.session() as s:
        c = s.get(Case, case_id)
        return c.stage, c.case_number


def test_ending_mediation_at_the_window_asks_after_the_checks(qtbot, db, paths, users):
    from baihe_desk.ui.mediation.referral import MediationReferralPage

    create_tables(db)
    orgs, first, _second = roster(db, users)
    station = next(o for o in orgs.values() if o.id == first.organisation_id)
    case = add_case(db, "SJ-C-1")
    assigned(db, users, case, station, first)
    page = MediationReferralPage(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    settle()
    click_row(qtbot, page.table, 0)
    settle()
    form = page.end_form
    form.select(MediationOutcome.WITHDRAWN)
    # the form is checked first: without 无争议事实 the service refuses, and nothing is asked
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, "messageBox") is not None, timeout=10_000)
    refusal = page.findChild(QMessageBox, "messageBox")
    assert "无争议事实" in refusal.text() and page.findChild(QMessageBox, "confirmBox") is None
    refusal.close()
    form.facts.setFocus()
    commit_text(form.facts, "借款事实无争议")
    # 否: nothing happens
    before = stage_of(db, case.id)
    assert before[0] is Stage.PRE_MEDIATION
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    text = answer(qtbot, page, "answerNo")
    assert "SJ-C-1" in text and "登记立案" in text and "民初" in text and "不能撤销" in text
    assert stage_of(db, case.id) == before
    # 是: filed, with the number the question announced
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    text = answer(qtbot, page, "answerYes")
    settle()
    stage, number = stage_of(db, case.id)
    assert number and number in text and "民初" in number and number != before[1]
    assert stage is Stage.FILED
    with db.session() as s:
        assert s.scalar(select(Case.case_number).where(Case.id == case.id)) == number


def test_registering_a_case_asks_after_the_checks_no_then_yes(qtbot, db, paths, users, court):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401
    from baihe_desk.models import Base
    from baihe_desk.ui.common.qt import QApplication, QTimer
    from baihe_desk.ui.filing.review import FilingReviewPage
    from tests.ui.filing.test_filing_review import answer_rest_by_keyboard, make_case, open_first
    from tests.ui.filing.test_filing_review import settle as settle_review

    Base.metadata.create_all(db.engine)
    clerk = users[Role.FILING_CLERK]
    case_id, receipt = make_case(db, clerk)
    page = FilingReviewPage(db, paths, clerk)  # the real 是/否 question, no test answer
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    open_first(qtbot, page, receipt)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.view.review_open and page.checklist.model.rowCount() > 10, timeout=5000)
    settle_review(qtbot, page)
    answer_rest_by_keyboard(qtbot, page)
    register = page.outcome.buttons[next(o for o in page.outcome.buttons if o.value == "registered")]
    asked = []

    def click_when_asked(name: str) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            asked.append(box.text())
            qtbot.mouseClick(box.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
        else:
            QTimer.singleShot(20, lambda: click_when_asked(name))

    for name in ("answerNo", "answerYes"):
        QTimer.singleShot(20, lambda n=name: click_when_asked(n))
        qtbot.mouseClick(register, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=name: len(asked) == ("answerNo", "answerYes").index(n) + 1, timeout=10_000)
        settle()
        settle_review(qtbot, page)
        if name == "answerNo":
            assert stage_of(db, case_id) == (Stage.RECEIVED, None)  # nothing happened
    stage, number = stage_of(db, case_id)
    assert stage is Stage.FILED and number
    assert receipt in asked[0] and "登记立案" in asked[0] and number in asked[1] and "不能撤销" in asked[1]
