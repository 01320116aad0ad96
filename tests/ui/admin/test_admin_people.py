"""系统管理 › 部门与人员 and 导入导出, driven as an administrator would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import AuditRecord, Department, Role, User
from baihe_desk.services.admin import organisation, settings, transfer
from baihe_desk.services.common import auth
from baihe_desk.storage.startup import open_database
from baihe_desk.ui.admin.page import AdminPage
from baihe_desk.ui.common.qt import QComboBox, Qt
from tests.ui.helpers import key, type_text


@pytest.fixture
def admin_page(qtbot, db, users, paths):
    page = AdminPage(db, paths, users[Role.ADMIN])
    qtbot.addWidget(page)
    page.resize(1300, 900)
    page.show()
    qtbot.waitExposed(page)
    return page


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text, Qt.MatchFlag.MatchContains)
    assert index >= 0, f"{text} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def add_user(qtbot, tab, username: str, name: str, role: str, department: str) -> str:
    dialog = tab.add_user()
    qtbot.waitExposed(dialog)
    dialog.username.setFocus()
    qtbot.keyClicks(dialog.username, username)
    type_text(dialog.display_name, name)
    choose(dialog.role, role)
    choose(dialog.department, department)
    password = dialog.password.text()
    ok(qtbot, dialog)
    assert not dialog.isVisible(), dialog.status.text()
    return password


def test_create_a_division_with_its_chief_judge_and_overseer(qtbot, admin_page, db, users, password):
    tab = admin_page.tab("部门与人员")
    dialog = tab.add_department()
    type_text(dialog.name, "民事审判庭")
    choose(dialog.kind, "审判庭")
    ok(qtbot, dialog)
    assert [d.name for d in tab.departments.rows] == ["民事审判庭"]

    add_user(qtbot, tab, "tingzhang", "周建国", "庭长", "民事审判庭")
    judge_pw = add_user(qtbot, tab, "lisi", "李堃", "承办法官", "民事审判庭")

    dialog = tab.add_user()  # a taken username is refused next to the field; the dialog stays open
    qtbot.keyClicks(dialog.username, "lisi")
    type_text(dialog.display_name, "另一个李四")
    ok(qtbot, dialog)
    assert dialog.isVisible() and "已被使用" in dialog.boxes["用户名"].error_text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    assert tab.select_department("民事审判庭")
    dialog = tab.set_post("chief")
    assert dialog.person.findText("李堃", Qt.MatchFlag.MatchContains) < 0  # a judge is not offered as 庭长
    choose(dialog.person, "周建国")
    ok(qtbot, dialog)
    assert tab.select_department("民事审判庭")
    dialog = tab.set_post("overseer")
    choose(dialog.person, "测试分管院长")
    ok(qtbot, dialog)
    row = tab.departments.rows[0]
    assert (row.chief, row.overseer, row.members) == ("周建国", "测试分管院长", 2)

    with db.session() as s:
        dept = s.scalar(select(Department).where(Department.name == "民事审判庭"))
        judge = s.scalar(select(User).where(User.username == "lisi"))
        assert (judge.role, judge.department_id, judge.must_change_password) == (Role.JUDGE, dept.id, True)
        assert organisation.chief_of(s, dept.id).username == "tingzhang"
        assert organisation.overseer_of(s, dept.id).id == users[Role.VICE_PRESIDENT].id
        actions = [r.action for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
    assert actions.count("user.create") == 2 and "department.create" in actions
    assert "department.set_chief" in actions and "department.set_overseer" in actions

    # password reset by the administrator: the judge must change it at the next login
    assert tab.select_user("lisi")
    dialog = tab.reset_password()
    new_pw = dialog.password.text()
    assert new_pw != judge_pw
    ok(qtbot, dialog)
    assert new_pw in tab.status.text()
    with db.transaction() as s:
        user = auth.login(s, "lisi", new_pw)
        assert user.must_change_password
    row_no = next(i for i, r in enumerate(tab.users.rows) if r.username == "lisi")
    assert tab.users.index(row_no, 6).data() == "在用，须改密码"

    # the chief cannot be disabled while he holds the post; the judge can
    assert tab.select_user("tingzhang")
    assert not tab.toggle_user()
    assert "现任民事审判庭庭长" in tab.status.text()
    assert tab.select_user("lisi")
    assert tab.toggle_user()
    with db.session() as s:
        assert not s.scalar(select(User).where(User.username == "lisi")).active


def test_the_only_administrator_cannot_disable_himself(qtbot, admin_page):
    tab = admin_page.tab("部门与人员")
    assert tab.select_user("t_admin")
    assert not tab.toggle_user()
    assert "不能停用自己" in tab.status.text()


def test_export_then_import_into_a_fresh_database(qtbot, admin_page, db, users, tmp_path):
    with db.transaction() as s:
        admin = users[Role.ADMIN]
        organisation.save_court_profile(s, admin, **organisation.profile_values(s))  # seal text filled in
        dept = organisation.add_department(s, admin, "民事审判庭", "trial")
        organisation.set_chief(s, admin, dept.id, users[Role.DIVISION_CHIEF].id)
        settings.set_many(s, admin, {"queues.near_due_days": 5, "fees.overrides": {"ip": "600"}})
    tab = admin_page.tab("导入导出")
    path = tmp_path / "白河设置.json"
    tab.export_path.setText(str(path))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy and "已导出" in tab.status.text(), timeout=20_000)
    assert path.exists()

    second = Paths(tmp_path / "second").ensure()
    db2 = open_database(second, LocalSettings())
    try:
        with db2.transaction() as s:
            for u in (users[Role.ADMIN], users[Role.DIVISION_CHIEF]):
                s.add(User(username=u.username, display_name=u.display_name, role=u.role,
                           password_hash=u.password_hash))
        with db2.session() as s:
            admin2 = s.scalar(select(User).where(User.username == "t_admin"))
        page2 = AdminPage(db2, second, admin2)
        qtbot.addWidget(page2)
        page2.show()
        tab2 = page2.tab("导入导出")
        tab2.import_path.setText(str(path))
        qtbot.mouseClick(tab2.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not tab2.busy and bool(tab2.status.text()), timeout=20_000)
        assert "检查通过" in tab2.status.text() and "民事审判庭" in tab2.report.toPlainText()
        qtbot.mouseClick(tab2.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not tab2.busy and "导入完成" in tab2.status.text(), timeout=20_000)
        assert "部门：新增“民事审判庭”" in tab2.report.toPlainText()
        with db.session() as s1, db2.session() as s2:
            a, b = transfer.export_data(s1), transfer.export_data(s2)
        for part in ("court", "departments", "settings"):
            assert a[part] == b[part], part
        people = page2.tab("部门与人员")
        assert people.departments.rows[0].chief == users[Role.DIVISION_CHIEF].display_name
    finally:
        db2.dispose()


def test_enter_on_a_user_opens_the_editor(qtbot, admin_page, db):
    tab = admin_page.tab("部门与人员")
    assert tab.select_user("t_clerk")
    tab.user_view.setFocus()
    key(tab.user_view, Qt.Key.Key_Return)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible() and dialog.row.username == "t_clerk"
    assert not dialog.username.isEnabled()
    dialog.display_name.selectAll()
    type_text(dialog.display_name, "书记员 钱晓")
    choose(dialog.role, "法官助理")
    ok(qtbot, dialog)
    with db.session() as s:
        u = s.scalar(select(User).where(User.username == "t_clerk"))
        assert (u.display_name, u.role) == ("书记员 钱晓", Role.JUDGE_ASSISTANT)
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "user.update")).one()
        assert rec.before["display_name"] == "测试书记员" and rec.after["role"] == "judge_assistant"
