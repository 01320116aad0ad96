"""What a page says agrees with what its list shows: the 工作台 does not count a case waiting for 补正
as past its seven days (the 立案审查 queue says 待补正); the mediator's hint does not say “no cases” beside
a one-case list; the 被告1 block's message names 被告1."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Role, Stage
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import Qt
from tests.fake_today import travel_to
from tests.ui.helpers import type_text


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


def add(db, receipt: str, stage: Stage, received: date, clerk) -> Case:
    with db.transaction() as s:
        case = Case(receipt_number=receipt, received_on=received, cause_code="9.24.201", cause_name="民间借贷纠纷",
                    claim_amount=Decimal("5000"), stage=stage, claims="还款", facts="借款未还", created_by_id=clerk.id)
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", sort_order=0),
                        Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="刘䶮", sort_order=1)]
        s.add(case)
    return case


def test_dashboard_and_review_queue_agree_on_cases_waiting_for_correction(qtbot, db, paths, users):
    import baihe_desk.models.review  # noqa: F401
    from baihe_desk.models import Base
    from baihe_desk.ui.deadlines.dashboard import DashboardPage
    from baihe_desk.ui.filing.state import load_queue

    Base.metadata.create_all(db.engine)
    clerk = users[Role.FILING_CLERK]
    long_ago = today_local() - timedelta(days=40)
    waiting = add(db, "SJ-W-1", Stage.CORRECTION, long_ago, clerk)
    late = add(db, "SJ-L-2", Stage.RECEIVED, long_ago, clerk)
    with db.session() as s:
        queue = {r.case_id: r for r in load_queue(s)}
    assert queue[waiting.id].status == "待补正" and not queue[waiting.id].overdue
    assert queue[late.id].overdue

    page = DashboardPage(db, paths, clerk)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    filing = [e for e in page.data.mine if e.clock.label == "七日立案期限"]
    assert [e.case_id for e in filing] == [late.id]  # the late one, not the one waiting for 补正
    assert page.data.counts.overdue == 1
    assert "1" in page.tile_overdue.accessibleName()
    # and the table beside the chart shows every column it keeps, none behind a scroll bar
    settle()
    assert not page.urgent.horizontalScrollBar().isVisible()


def test_mediator_hint_agrees_with_the_list(qtbot, db, paths, users):
    from baihe_desk.ui.mediation.workbench import MediationWorkbenchPage
    from tests.ui.mediation.test_mediation_support import add_case, assigned, create_tables, roster

    create_tables(db)
    orgs, first, _second = roster(db, users)
    station = next(o for o in orgs.values() if o.id == first.organisation_id)
    assigned(db, users, add_case(db, "SJ-M-1"), station, first)
    page = MediationWorkbenchPage(db, paths, users[Role.MEDIATOR])
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    settle()
    hint = page.record.toPlainText()
    assert "没有" not in hint and "共 1 件" in hint


def test_the_defendant_block_names_the_defendant(qtbot, db, users, paths):
    from baihe_desk.ui.filing.intake_form import IntakeForm

    form = IntakeForm(db, users[Role.FILING_CLERK], paths)
    qtbot.addWidget(form)
    form.resize(1100, 900)
    form.show()
    qtbot.waitExposed(form)
    plaintiff, defendant = form.parties.editors[0], form.parties.editors[1]
    assert defendant.title() == "被告1"
    type_text(plaintiff.field("name"), "王堃")
    failed = []
    form.show_errors = (lambda orig: lambda errs: (failed.append(errs), orig(errs)))(form.show_errors)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    message = form.errors_shown()["party1.name"]
    assert "被告1" in message and "被告2" not in message
    # the summary counts exactly the fields marked
    marked = len(form.errors_shown())
    assert f"{marked} 处" in form.summary.text()
