"""No page carries one case's inputs into the next: on every page with a case detail, the clerk fills in
every field for case A, switches to case B, and no field still holds what was typed for A (the
诉前调解 panel once kept A's 调解终结 result, 无争议事实 and 说明, enabled, one click from filing B)."""

from __future__ import annotations

import pytest

from baihe_desk.models import Role
from baihe_desk.models.mediation import MediationOutcome
from baihe_desk.ui.common import background
from baihe_desk.ui.common.inputs import _inputs
from baihe_desk.ui.common.qt import QComboBox, QLineEdit, QPlainTextEdit, QWidget
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

MARK = "甲案独有"


def settle() -> None:
    assert background.wait_all(30_000)


def show(qtbot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    settle()
    return page


def fill_every_field(root: QWidget) -> list[str]:
    """Type the mark into every editable text field the clerk can reach (as an input method commits
    it); returns their names (so the test knows it typed into something)."""
    typed = []
    for w in _inputs(root):
        if not (w.isVisibleTo(root) and w.isEnabled()):
            continue
        if isinstance(w, QLineEdit) and not w.isReadOnly() and not hasattr(w, "snapshot_value"):
            w.setFocus()
            w.selectAll()
            commit_text(w, MARK)
            typed.append(w.objectName())
        elif isinstance(w, QPlainTextEdit) and not w.isReadOnly():
            w.setFocus()
            commit_text(w, MARK)
            typed.append(w.objectName())
    return typed


def marked(root: QWidget) -> list[str]:
    out = []
    for w in _inputs(root):
        text = w.text() if isinstance(w, QLineEdit) else w.toPlainText() if isinstance(w, QPlainTextEdit) else ""
        if isinstance(w, QComboBox):
            text = w.currentText()
        if MARK in text:
            out.append(w.objectName())
    return out


def row_index(page, attr: str, value: str) -> int:
    return [getattr(r, attr) for r in page.model.rows].index(value)


def test_mediation_window_forgets_the_previous_case(qtbot, db, paths, users):
    from baihe_desk.ui.mediation.referral import MediationReferralPage

    create_tables(db)
    orgs, first, _second = roster(db, users)
    station = next(o for o in orgs.values() if o.id == first.organisation_id)
    a = add_case(db, "SJ-A-1", defendants=("王堃",))
    b = add_case(db, "SJ-B-2", defendants=("刘䶮",))
    for case in (a, b):
        assigned(db, users, case, station, first)
    page = show(qtbot, MediationReferralPage(db, paths, users[Role.FILING_CLERK]))
    click_row(qtbot, page.table, row_index(page, "receipt_number", "SJ-A-1"))
    settle()
    assert page.detail.receipt_number == "SJ-A-1"
    form = page.end_form
    assert form.isEnabled() and form.isVisibleTo(page)
    form.select(MediationOutcome.REFUSED)
    typed = fill_every_field(page.boxes["end"])
    assert {"windowOutcomeFacts", "windowOutcomeNote"} <= set(typed)

    click_row(qtbot, page.table, row_index(page, "receipt_number", "SJ-B-2"))
    settle()
    assert page.detail.receipt_number == "SJ-B-2"
    assert marked(page) == []
    assert form.outcome() is MediationOutcome.WITHDRAWN  # the first choice again, not A's 拒绝调解
    assert form.facts.toPlainText() == "" and form.note.text() == ""
    # and back: A's typing is gone too (it was never saved)
    click_row(qtbot, page.table, row_index(page, "receipt_number", "SJ-A-1"))
    settle()
    assert marked(page) == []


def test_mediator_workbench_forgets_the_previous_case(qtbot, db, paths, users):
    from baihe_desk.ui.mediation.workbench import MediationWorkbenchPage

    create_tables(db)
    orgs, first, _second = roster(db, users)
    station = next(o for o in orgs.values() if o.id == first.organisation_id)
    ids = {}
    for receipt, name in (("SJ-A-1", "王堃"), ("SJ-B-2", "刘䶮")):
        case = add_case(db, receipt, defendants=(name,))
        ids[receipt] = assigned(db, users, case, station, first, accepted_days_ago=2).id
    page = show(qtbot, MediationWorkbenchPage(db, paths, users[Role.MEDIATOR]))
    rows = [r.id for r in page.model.rows]
    click_row(qtbot, page.table, rows.index(ids["SJ-A-1"]))
    settle()
    typed = []
    for i in range(page.tabs.count()):
        if page.tabs.isTabEnabled(i):
            page.tabs.setCurrentIndex(i)
            typed += fill_every_field(page.tabs.widget(i))
    assert len(typed) >= 5, typed
    click_row(qtbot, page.table, rows.index(ids["SJ-B-2"]))
    settle()
    assert page.detail.mediation_id == ids["SJ-B-2"]
    assert marked(page) == []


def test_filing_review_forgets_the_previous_case(qtbot, db, paths, users, court):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401
    from baihe_desk.models import Base
    from baihe_desk.ui.filing.review import FilingReviewPage
    from tests.ui.filing.test_filing_review import make_case

    Base.metadata.create_all(db.engine)
    clerk = users[Role.FILING_CLERK]
    a_id, _ = make_case(db, clerk)
    b_id, _ = make_case(db, clerk, cause="买卖合同纠纷")
    page = show(qtbot, FilingReviewPage(db, paths, clerk))
    page.open_case(a_id)
    settle()
    qtbot.waitUntil(lambda: page.view is not None and page.view.case_id == a_id)
    page.received.setFocus()
    page.received.selectAll()
    commit_text(page.received, "2001-01-01")
    typed = []
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        typed += fill_every_field(page.tabs.widget(i))
    assert typed, "nothing to type into"
    page.open_case(b_id)
    settle()
    qtbot.waitUntil(lambda: page.view is not None and page.view.case_id == b_id)
    assert marked(page) == []
    assert page.received.text() != "2001-01-01"
    assert page.received.value() >= page.view.received_on


def test_explanation_page_forgets_the_previous_case(qtbot, db, paths, users):
    from datetime import date

    from baihe_desk.models import Case, Party, PartyKind, PartyRole, Stage
    from baihe_desk.ui.explanation.page import ExplanationPage
    from tests.services.explanation.test_explanation_support import build_org

    org = build_org(db, users)
    with db.transaction() as s:
        other = Case(receipt_number="2026收00016", case_number="（2026）吉7502民初16号", received_on=date(2026, 6, 2),
                     filed_on=date(2026, 6, 4), cause_name="买卖合同纠纷", stage=Stage.IN_TRIAL, judge_id=org.judge.id,
                     number_year=2026, number_type="民初", number_serial=16)
        other.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="赵喆", sort_order=0),
                         Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="钱晓", sort_order=1)]
        s.add(other)
    page = show(qtbot, ExplanationPage(db, paths, org.clerk))
    page.open_case(org.case_id)
    settle()
    qtbot.waitUntil(lambda: page.view is not None)
    typed = []
    for panel in (page.judgment, page.requests, page.risk):
        page.tabs.setCurrentWidget(panel)
        typed += fill_every_field(panel)
    assert len(typed) >= 3, typed
    page.open_case(other.id)
    settle()
    qtbot.waitUntil(lambda: page.view is not None and "民初16号" in page.case_title.text())
    assert marked(page) == []
