"""系统管理 driven as an administrator would: court profile, rules, holidays, fonts, templates; and a
non-administrator who gets neither the page nor the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import AuditRecord, Case, Role, Setting, Stage
from baihe_desk.services.admin import court as court_service
from baihe_desk.services.admin import holiday_tables as sh
from baihe_desk.services.admin import organisation, settings
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.deadlines.periods import add_days
from baihe_desk.services.filing import procedure
from baihe_desk.ui.admin.page import AdminPage
from baihe_desk.ui.common.qt import QLineEdit, Qt, QtWidgets
from tests.fake_today import travel_to
from tests.ui.helpers import key, type_text


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_in_late_2026():
    """The holiday tab's coverage (2027 inferred, not yet entered) and the wage year are those of late
    2026: these tests run on a fixed day, never on the real (or a --fake-today) calendar day."""
    with travel_to(date(2026, 12, 5)):
        yield


INTERACTIVE = (QtWidgets.QAbstractButton, QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox,
               QtWidgets.QPlainTextEdit, QtWidgets.QAbstractItemView)
HOLIDAYS_2027 = "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n国庆节 2027-10-01 至 2027-10-07"
WORKDAYS_2027 = "春节 2027-02-14\n国庆节 2027-10-09"  # test data shaped like a notice, not the official 2027 one


@pytest.fixture
def admin_page(qtbot, db, users, paths):
    page = AdminPage(db, paths, users[Role.ADMIN])
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitExposed(page)
    return page


def replace_text(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    key(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        type_text(edit, text)


def audit_actions(db, action: str) -> list[AuditRecord]:
    with db.session() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


def test_all_tabs_are_there_and_named(admin_page):
    titles = [admin_page.tabs.tabText(i) for i in range(admin_page.tabs.count())]
    assert titles == ["法院信息", "部门与人员", "规则与期限", "节假日", "文书字体", "文书模板", "导入导出", "审计记录"]
    for title in titles:
        tab = admin_page.tab(title)
        for w in tab.findChildren(QtWidgets.QWidget):
            if not isinstance(w, INTERACTIVE):
                continue
            if w.isVisibleTo(tab) and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.objectName().startswith("qt_"):
                assert w.objectName() and w.accessibleName(), (title, type(w).__name__, w.text() if hasattr(w, "text") else "")


def test_edit_the_court_name_and_code(qtbot, admin_page, db, users):
    tab = admin_page.tab("法院信息")
    name = tab.inputs["name"]
    assert name.text() == "吉林省白河林区基层法院"
    replace_text(qtbot, name, "")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.boxes["法院名称"].error_text() == "不能为空。"
    replace_text(qtbot, name, "吉林省白河林区基层人民法院")
    replace_text(qtbot, tab.inputs["code"], "7503")
    assert "无法组成案号" in tab.code_example.text()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "无法组成案号" in tab.boxes["法院代字"].error_text()
    with db.session() as s:
        assert court_service.get_profile(s).name == "吉林省白河林区基层法院"  # nothing saved yet

    replace_text(qtbot, tab.inputs["code"], "")
    type_text(tab.inputs["code"], "吉7503")
    assert tab.code_example.text() == f"案号示例：（{today_local().year}）吉7503民初1号"
    replace_text(qtbot, tab.inputs["postcode"], "133613")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert f"（{today_local().year}）吉7503民初1号" in tab.status.text()
    with db.transaction() as s:
        profile = court_service.get_profile(s)
        assert (profile.name, profile.code, profile.postcode) == ("吉林省白河林区基层人民法院", "吉7503", "133613")
        case = Case(receipt_number="2026收09999", cause_name="民间借贷纠纷", received_on=date(2026, 11, 2),
                    stage=Stage.RECEIVED)
        s.add(case)
        s.flush()
        number = assign_case_number(s, users[Role.FILING_CLERK], case, "民初", year=2026)
    assert number.format() == "（2026）吉7503民初1号"  # the next case number uses the new code
    (rec,) = [r for r in audit_actions(db, "court.save_profile") if r.username == "t_admin"]
    assert rec.before["code"] == "吉7502" and rec.after["code"] == "吉7503"
    assert rec.after["name"] == "吉林省白河林区基层人民法院"


def test_change_the_small_claims_figure_and_a_fee(qtbot, admin_page, db):
    tab = admin_page.tab("规则与期限")
    assert "2025 年修正" in tab.catalogue_label.text()
    wage = tab.fields["procedure.small_claims.annual_wage"].input
    year = tab.fields["procedure.small_claims.wage_year"].input
    assert wage.text() == "87222"
    replace_text(qtbot, wage, "95,000")
    year.setFocus()
    year.lineEdit().selectAll()
    qtbot.keyClicks(year, "2025")
    assert "47,500.00" in tab.limits.text() and "190,000.00" in tab.limits.text()
    replace_text(qtbot, tab.fee_inputs["divorce"], "-50")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "不能为负数" in tab.boxes["离婚案件受理费（每件）"].error_text()
    with db.session() as s:
        assert s.get(Setting, "procedure.small_claims.annual_wage") is None  # one bad value: nothing saved
    replace_text(qtbot, tab.fee_inputs["divorce"], "400")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "50–300" in tab.boxes["离婚案件受理费（每件）"].error_text()
    replace_text(qtbot, tab.fee_inputs["divorce"], "100")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.status.text().startswith("已保存")
    with db.session() as s:
        t = procedure.threshold_from_settings(s)
        assert (t.annual_wage, t.wage_year, t.small_limit) == (Decimal("95000"), 2025, Decimal("47500.00"))
        assert s.get(Setting, "fees.overrides").value == {"divorce": "100"}
        assert s.get(Setting, "queues.near_due_days") is None  # untouched fields keep their defaults
    changed = {r.entity_id: (r.before["value"], r.after["value"]) for r in audit_actions(db, "setting.set")}
    assert changed["procedure.small_claims.annual_wage"] == (None, "95000")
    assert changed["procedure.small_claims.wage_year"] == (None, 2025)
    assert changed["fees.overrides"] == (None, {"divorce": "100"})


def test_add_the_2027_holiday_schedule(qtbot, admin_page, db):
    tab = admin_page.tab("节假日")
    assert "2027 年按放假办法推算，待国务院通知" in tab.coverage.text()
    assert tab.years.rows[0].year == 2027 and tab.years.rows[0].inferred
    start = date(2026, 12, 2)
    with db.session() as s:
        assert add_days(start, 30, table=sh.table(s)).warnings  # 2027 only inferred yet
    tab.year.setFocus()
    tab.year.lineEdit().selectAll()
    qtbot.keyClicks(tab.year, "2027")
    type_text(tab.holidays, "元旦 2027-01-01 至 2027-01-04")  # the 4th is a Monday … and so is the 调休 below
    type_text(tab.workdays, "元旦 2027-01-04")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    error = tab.boxes["放假日期"].error_text()
    assert "同时被列为节假日和调休工作日" in error and "调休工作日只能是星期六或星期日" in error
    tab.holidays.clear()
    tab.workdays.clear()
    type_text(tab.holidays, HOLIDAYS_2027)
    type_text(tab.workdays, WORKDAYS_2027)
    type_text(tab.source, "测试用安排")
    qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    assert tab.summary.text().startswith("2027 年：放假 18 天")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "已保存 2027 年" in tab.status.text()
    assert tab.years.rows[0].year == 2027 and tab.years.rows[0].entered
    assert "2027 年按放假办法推算" not in tab.coverage.text()
    with db.session() as s:
        after = add_days(start, 30, table=sh.table(s))
    assert after.warnings == () and after.due == date(2027, 1, 4)
    (rec,) = audit_actions(db, "setting.set")
    assert rec.entity_id == "holidays.extra" and rec.username == "t_admin"

    tab.year_view.selectRow(0)
    qtbot.mouseClick(tab.load_button, Qt.MouseButton.LeftButton)
    assert tab.holidays.toPlainText().splitlines()[1] == "春节 2027-02-06 至 2027-02-13"


def test_font_sample_shows_the_file_and_missing_characters(qtbot, admin_page, db):
    tab = admin_page.tab("文书字体")
    qtbot.waitUntil(lambda: tab.checks >= 1, timeout=30_000)
    body = next(r for r in tab.report.roles if r.role == "body")
    assert body.path and body.path in tab.samples["body"][1].text()
    check = tab.fields["documents.fonts.check_chars"].input
    type_text(check, "\U0003134a")  # a CJK Ext-G character no installed font has
    done = tab.checks
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.checks > done, timeout=30_000)
    assert "\U0003134a" in tab.report.missing
    assert "缺少" in tab.overall.text()
    fonts = tab.fields["documents.fonts.body"].input
    replace_text(qtbot, fonts, "")
    type_text(fonts, "仿宋_GB2312、AR PL UMing CN")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert s.get(Setting, "documents.fonts.body").value == ["仿宋_GB2312", "AR PL UMing CN"]
        assert settings.get(s, "documents.fonts.check_chars").endswith("\U0003134a")
    replace_text(qtbot, fonts, "")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "不能为空" in tab.boxes["正文字体"].error_text()


def test_the_template_editor_is_embedded(qtbot, admin_page, db):
    tab = admin_page.tab("文书模板")
    editor = tab.editor
    assert editor.isVisible() and not editor.close_button.isVisible()
    key(editor.editor, Qt.Key.Key_Escape)
    assert editor.isVisible()
    text = editor.editor.toPlainText()
    editor.editor.setPlainText(text.replace("# 诉前调解告知书", "# 诉前调解告知书（本院）", 1))
    type_text(editor.note_edit, "本院修改")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "已保存为第 2 版" in editor.message.text()
    assert [r.after["version"] for r in audit_actions(db, "template.save")] == [2]


def test_a_non_administrator_gets_neither_the_page_nor_the_services(qtbot, db, users, paths):
    clerk = users[Role.FILING_CLERK]
    page = AdminPage(db, paths, clerk)
    qtbot.addWidget(page)
    page.show()
    assert page.denied.isVisible() and not page.tabs.isVisible() and page.tabs.count() == 0
    with pytest.raises(PermissionDenied), db.transaction() as s:
        settings.set_value(s, clerk, "queues.near_due_days", 5)
    with pytest.raises(PermissionDenied), db.transaction() as s:
        organisation.save_court_profile(s, clerk, name="改名", code="吉7502")
    with pytest.raises(PermissionDenied), db.transaction() as s:
        sh.add_year(s, users[Role.JUDGE], 2027, HOLIDAYS_2027, WORKDAYS_2027)
    assert len(audit_actions(db, "permission.denied")) == 3


def test_confirm_the_shipped_small_claims_figure_and_take_it_back(qtbot, admin_page, db):
    tab = admin_page.tab("规则与期限")
    assert not tab.wage_confirmed.isChecked()
    with db.session() as s:
        assert not procedure.threshold_from_settings(s).confirmed
    tab.wage_confirmed.setFocus()
    key(tab.wage_confirmed, Qt.Key.Key_Space)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        t = procedure.threshold_from_settings(s)
        assert t.confirmed and (t.annual_wage, t.wage_year) == (Decimal("87222"), 2022)
    assert tab.wage_confirmed.isChecked()
    key(tab.wage_confirmed, Qt.Key.Key_Space)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert not procedure.threshold_from_settings(s).confirmed
        assert s.get(Setting, "procedure.small_claims.wage_year") is None
    assert [r.entity_id for r in audit_actions(db, "setting.reset")] == [
        "procedure.small_claims.annual_wage", "procedure.small_claims.wage_year"]


def test_ctrl_s_saves_the_tab_in_focus(qtbot, admin_page, db):
    admin_page.tab("规则与期限")  # another tab with its own Ctrl+S is built too
    tab = admin_page.tab("法院信息")
    replace_text(qtbot, tab.inputs["phone"], "0433-5710000")
    key(tab.inputs["phone"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.status.text().startswith("已保存")
    with db.session() as s:
        assert court_service.get_profile(s).phone == "0433-5710000"
