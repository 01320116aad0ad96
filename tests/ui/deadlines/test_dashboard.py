"""我的待办, 工作台 and 统计分析 driven as a user would: the clerk's overdue filing decision comes first and
opens the case at the review step; the dashboard's counts are those of the database; the monthly
analysis exported from the page holds the figures the page shows."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from baihe_desk.models import GeneratedDocument, Procedure, Role, Stage
from baihe_desk.ui.deadlines.dashboard import DashboardPage
from baihe_desk.ui.deadlines.queue_page import QueuePage
from baihe_desk.ui.statistics.page import StatisticsPage
from tests.fake_today import travel_to


def _load_world_module():
    """tests/services/deadlines/clock_world.py (the same data builders as the service tests)."""
    path = Path(__file__).resolve().parents[2] / "services" / "deadlines" / "clock_world.py"
    spec = importlib.util.spec_from_file_location("tests_unit_clock_world", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["tests_unit_clock_world"] = module
    spec.loader.exec_module(module)
    return module


_world = _load_world_module()
add_case, build_world, march_data = _world.add_case, _world.build_world, _world.march_data
# Wednesday 2026-11-18: the expected numbers below are counted by hand from it.
TODAY = date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _on_a_wednesday():
    with travel_to(TODAY):
        yield


@pytest.fixture
def world(db, users):
    return build_world(db, users)


def _wait(qtbot, page):
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        pass


def test_clerks_queue_shows_the_overdue_filing_decision_first_and_opens_it(qtbot, world, paths):
    clerk = world.users[Role.FILING_CLERK]
    with world.db.transaction() as s:
        fresh = add_case(s, received_on=TODAY, created_by_id=clerk.id, plaintiff="赵一").id
        late = add_case(s, received_on=TODAY - timedelta(days=20), created_by_id=clerk.id, plaintiff="钱二").id
    page = QueuePage(world.db, paths, clerk)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15_000)
    first = page.model.entry(0)
    assert first.case_id == late and first.urgency == "overdue"
    assert page.model.index(0, 0).data() == "已超期"
    assert page.model.entry(1).case_id == fresh
    assert "共 2 项，已超期 1 项" in page.summary.text()
    assert "第一百二十六条" in page.detail.toPlainText() and "先行立案" in page.detail.toPlainText()
    page.show()
    page.table.setFocus()
    with qtbot.waitSignal(page.open_requested) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [late, "filing.review"]
    page.filter.setCurrentIndex(page.filter.findData("near"))
    assert page.model.rowCount() == 0  # 赵一: 11-18 + 7 = 11-25, seven days left: not within 3
    page.filter.setCurrentIndex(page.filter.findData("overdue"))
    assert page.model.rowCount() == 1 and page.model.entry(0).case_id == late


def test_dashboard_counts_match_the_database(qtbot, world, paths):
    judge = world.users[Role.JUDGE]
    with world.db.transaction() as s:
        # 简易程序 3 months from filing (第一百六十四条; months end on the corresponding day, 第八十五条):
        #   10-19 → 2027-01-19 (62 days left), 09-18 → 12-18 (30), 08-20 → 11-20 (2, near),
        #   08-18 → 11-18 (today, near), 08-16 → 11-16 (overdue), 08-10 → 11-10 (overdue), 07-01 → 10-01 (overdue)
        for filed in (date(2026, 10, 19), date(2026, 9, 18), date(2026, 8, 20), date(2026, 8, 18),
                      date(2026, 8, 16), date(2026, 8, 10), date(2026, 7, 1)):
            add_case(s, received_on=filed, stage=Stage.IN_TRIAL, filed_on=filed, procedure=Procedure.SIMPLE,
                     judge_id=judge.id)
        add_case(s, received_on=TODAY - timedelta(days=300), stage=Stage.CLOSED, filed_on=TODAY - timedelta(days=299),
                 procedure=Procedure.SIMPLE, judge_id=judge.id, closed_on=TODAY - timedelta(days=10))
    expected = (7, 3, 2)  # total, overdue, near (the closed case has no clock)
    page = DashboardPage(world.db, paths, world.users[Role.DIVISION_CHIEF])
    qtbot.addWidget(page)
    _wait(qtbot, page)
    trial = page.data.departments[0]
    assert trial.name == "民事审判庭"
    assert (trial.counts.total, trial.counts.overdue, trial.counts.near) == expected
    assert page.dept_table.item(0, 0).text() == "民事审判庭"
    assert [page.dept_table.item(0, c).text() for c in (1, 2, 3)] == [str(n) for n in expected]
    assert page.dept_entries.model().rowCount() == expected[0]
    assert page.dept_entries.model().entry(0).urgency == "overdue"
    assert page.leader.isVisibleTo(page)
    judge_page = DashboardPage(world.db, paths, judge)
    qtbot.addWidget(judge_page)
    _wait(qtbot, judge_page)
    assert judge_page.tile_overdue.accessibleName() == f"已超期 {expected[1]} 项"
    assert judge_page.tile_near.accessibleName() == f"临期（3日内） {expected[2]} 项"
    assert judge_page.tile_total.accessibleName() == f"待办合计 {expected[0]} 项"
    assert not judge_page.leader.isVisibleTo(judge_page)
    assert judge_page.kind_chart.chart().series()[0].count() == 3  # 已超期 / 临期 / 其他


def test_monthly_analysis_exports_and_its_pdf_holds_the_numbers_shown(qtbot, world, paths):
    march_data(world)
    page = StatisticsPage(world.db, paths, world.users[Role.DIVISION_CHIEF])
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("month"))
    page.day.setDate(date(2026, 3, 15))
    assert page.period_label.text().startswith("2026年3月")
    assert not page.monthly_button.isEnabled()
    with qtbot.waitSignal(page.computed, timeout=30_000):
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    shown = {page.summary.item(r, 0).text(): page.summary.item(r, 1).text() for r in range(page.summary.rowCount())}
    assert shown["收件（收到起诉材料）"] == "11" and shown["诉前调解成功率"] == "50.0%" and shown["补正率"] == "25.0%"
    assert page.chart_departments.chart().series()[0].count() == 2
    assert page.monthly_button.isEnabled() and not page.weekly_button.isEnabled()  # a month: 月分析
    with qtbot.waitSignal(page.exported, timeout=60_000) as done:
        qtbot.mouseClick(page.monthly_button, Qt.MouseButton.LeftButton)
    pdf_record = next(r for r in done.args[0] if r.format == "pdf")
    from pypdf import PdfReader

    data = (paths.documents / pdf_record.relpath).read_bytes()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    for label, value in shown.items():
        assert value in text, (label, value)
    phrases = {"收件（收到起诉材料）": "收到起诉材料{}件", "立案（民初）": "登记立案（民初）{}件", "补正率": "补正率{}",
               "诉前调解成功率": "调解成功率{}", "收件至立案平均天数": "收件至立案平均{}日",
               "服判息诉率": "服判息诉率{}", "超审限结案": "超审限结案{}件", "逾期立案": "逾期立案{}件"}
    for label, phrase in phrases.items():
        # a rate the page shows as — reads 无从计算 in the report's sentences (no dashes inside a sentence)
        value = "无从计算" if shown[label] == "—" and "率" in label else shown[label]
        assert phrase.format(value) in text, label
    with world.db.session() as s:
        assert [r.case_id for r in s.scalars(select(GeneratedDocument))] == [None, None]
