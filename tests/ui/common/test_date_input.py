"""Dates and times as a clerk types them: 2026-12-05, 20261205, 12-05, 今天/t; 14:00 and 1400. An empty
date opens its calendar at today, not January 1900; the 收件日期 takes one Tab."""

from __future__ import annotations

from datetime import date

import pytest

from baihe_desk.ui.common import date_input
from baihe_desk.ui.common.date_input import DateInput, parse_date, parse_time, time_field
from baihe_desk.ui.common.qt import QApplication, QLineEdit, Qt, QVBoxLayout, QWidget
from tests.ui.helpers import commit_text, key

TODAY = date(2026, 12, 5)  # a Saturday; the injected clock, never the machine's date


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-05", TODAY), ("20261205", TODAY), ("12-05", TODAY), ("1205", TODAY), ("今天", TODAY), ("t", TODAY),
    ("T", TODAY), ("2026/12/5", TODAY), ("2026.12.5", TODAY), ("2026年12月5日", TODAY), ("12月5日", TODAY),
    ("２０２６１２０５", TODAY), ("昨天", date(2026, 12, 4)), ("明天", date(2026, 12, 6)),
    ("2027-1-2", date(2027, 1, 2)), ("2026-02-30", None), ("13-01", None), ("abc", None), ("", None),
])
def test_typed_dates(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("14:00", "14:00"), ("1400", "14:00"), ("14：00", "14:00"), ("930", "09:30"), ("9:30", "09:30"),
    ("14", "14:00"), ("１４００", "14:00"), ("14.30", "14:30"), ("2460", None), ("25:00", None), ("下午", None),
])
def test_typed_times(text, expected):
    assert parse_time(text) == expected


@pytest.fixture
def form(qtbot, monkeypatch):
    monkeypatch.setattr(date_input, "TODAY", lambda: TODAY)
    host = QWidget()
    col = QVBoxLayout(host)
    before = QLineEdit()
    required = DateInput(maximum=TODAY)
    optional = DateInput(optional=True)
    start = time_field("start", "开始时间")
    after = QLineEdit()
    for w in (before, required, optional, start, after):
        col.addWidget(w)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitActive(host)
    return host, required, optional, start, after


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        key(edit, Qt.Key.Key_Delete)
    key(edit, Qt.Key.Key_Tab)


def test_date_field_takes_typing_and_defaults_to_today(qtbot, form):
    _host, required, optional, _start, _after = form
    assert required.value() == TODAY and required.text() == "2026-12-05"  # the likely answer, from the clock
    retype(qtbot, required, "20261130")
    assert required.value() == date(2026, 11, 30) and required.text() == "2026-11-30"
    assert not required.hasFocus()  # one Tab left it
    retype(qtbot, required, "t")
    assert required.value() == TODAY
    retype(qtbot, required, "11-02")
    assert required.value() == date(2026, 11, 2)
    # later than allowed (a receipt date in the future): refused, the previous date kept, the reason said
    retype(qtbot, required, "20261206")
    assert required.value() == date(2026, 11, 2)
    assert "至 2026-12-05" in required.accessibleDescription()
    # the input method's commit (汉字)
    required.setFocus()
    required.selectAll()
    commit_text(required, "今天")
    assert required.date().toPython() == TODAY  # read as typed, before the field is left
    # arrows step a day
    key(required, Qt.Key.Key_Down)
    assert required.value() == date(2026, 12, 4)


def test_an_empty_date_stays_empty_and_its_calendar_opens_at_today(qtbot, form):
    _host, _required, optional, _start, _after = form
    assert optional.value() is None and optional.text() == ""
    optional.setFocus()
    key(optional, Qt.Key.Key_F4)
    calendar = optional.popup
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate().toPython() == TODAY and calendar.yearShown() == 2026
    key(calendar, Qt.Key.Key_Escape)
    assert not calendar.isVisible() and optional.value() is None
    retype(qtbot, optional, "2026-12-01")
    assert optional.value() == date(2026, 12, 1)
    retype(qtbot, optional, "")
    assert optional.value() is None


def test_times_accept_1400_and_14_00(qtbot, form):
    _host, _required, _optional, start, after = form
    for typed in ("14:00", "1400"):
        retype(qtbot, start, typed)
        assert start.text() == "14:00"
        assert QApplication.focusWidget() is after


def test_received_date_takes_one_tab(qtbot, db, users, paths, monkeypatch):
    from baihe_desk.models import Role
    from baihe_desk.ui.filing.intake_form import IntakeForm

    monkeypatch.setattr(date_input, "TODAY", lambda: TODAY)
    form = IntakeForm(db, users[Role.FILING_CLERK], paths)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitActive(form)
    form.received_on.setFocus()
    key(form.received_on, Qt.Key.Key_Tab)
    assert not form.received_on.hasFocus()
    form.received_on.setFocus()
    key(form.received_on, Qt.Key.Key_Return)  # Enter advances like Tab
    assert not form.received_on.hasFocus()
