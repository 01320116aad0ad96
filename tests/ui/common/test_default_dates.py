"""Every default date of the UI is the court's day from the desk's clock (Asia/Shanghai), not the PC's
clock zone: at 01:00 in Beijing on 2027-02-08 a PC set to UTC still says 2027-02-07, and a form that
defaulted to that would file a complaint one day early (or, checked against the court's day, refuse it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from baihe_desk.errors import ValidationErrors
from baihe_desk.models import PartyKind, PartyRole, Procedure, Role
from baihe_desk.services.filing import intake
from baihe_desk.ui.common.date_input import today_qdate
from baihe_desk.ui.common.forms import date_field
from baihe_desk.ui.exchange.export_dialog import ExportDialog
from baihe_desk.ui.filing.intake_form import IntakeForm
from baihe_desk.ui.statistics.page import StatisticsPage
from tests.fake_today import travel_to

COURT_DAY = date(2027, 2, 8)  # 春节假期 2027


@pytest.fixture
def utc_pc_after_midnight_in_beijing():
    """The PC's zone is UTC (TZ=UTC: time-machine sets it from the destination's zone); Beijing is 8 h ahead."""
    with time_machine.travel(datetime(2027, 2, 7, 17, 0, tzinfo=ZoneInfo("UTC")), tick=True):
        assert date.today() == date(2027, 2, 7)  # the PC's calendar: yesterday for the court
        yield


def test_date_fields_default_to_the_court_day_not_the_pc_day(qtbot, db, users, paths,
                                                             utc_pc_after_midnight_in_beijing):
    field = date_field("probeDate", "日期")
    qtbot.addWidget(field)
    assert field.value() == COURT_DAY and field.text() == "2027-02-08"
    assert today_qdate().toPython() == COURT_DAY

    form = IntakeForm(db, users[Role.FILING_CLERK], paths)
    qtbot.addWidget(form)
    assert form.received_on.date().toPython() == COURT_DAY
    assert form.received_on.maximumDate().toPython() == COURT_DAY  # today is allowed, tomorrow is not

    page = StatisticsPage(db, paths, users[Role.DIVISION_CHIEF])
    qtbot.addWidget(page)
    assert page.day.date().toPython() == COURT_DAY

    dialog = ExportDialog(db, paths, users[Role.JUDGE])
    qtbot.addWidget(dialog)
    assert dialog.due.date().toPython() == COURT_DAY + timedelta(days=30)  # 借出 30 日
    assert "案件包-20270208" in dialog.out.text()


def test_the_court_day_is_not_refused_as_a_future_day(utc_pc_after_midnight_in_beijing):
    """The services check received dates against the same day the form offers."""
    people = [intake.PartyInput(role=role, kind=PartyKind.NATURAL, name=name)
              for role, name in ((PartyRole.PLAINTIFF, "王堃"), (PartyRole.DEFENDANT, "李淼"))]
    data = intake.CaseInput(cause_name="民间借贷纠纷", procedure=Procedure.SIMPLE, claims="请求判令被告还款。",
                            received_on=COURT_DAY, parties=people)
    values, _parties = intake.validate_case(data)
    assert values["received_on"] == COURT_DAY
    with pytest.raises(ValidationErrors, match="收件日期：不能晚于今天"):
        intake.validate_case(intake.CaseInput(**{**data.__dict__, "received_on": COURT_DAY + timedelta(days=1)}))


def test_typing_today_in_a_field_at_a_fake_day(qtbot):
    with travel_to(date(2026, 10, 12)):
        field = date_field("probeDate2", "日期", date(2026, 1, 5))
        qtbot.addWidget(field)
        field.setText("t")
        assert field.value() == date(2026, 10, 12)
