"""系统管理 › 部门与人员 — the organisation (departments, 庭长, 分管院长) and the user accounts."""

from __future__ import annotations

from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import organisation
from baihe_desk.services.admin import users as admin_users
from baihe_desk.services.admin.users import UserRow
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.dialogs import (
    DepartmentDialog,
    PasswordDialog,
    PostDialog,
    ServiceDialog,
    UserDialog,
)
from baihe_desk.ui.admin.widgets import RowsModel, StatusLine, rows_table, selected_row
from baihe_desk.ui.common.qt import QCheckBox, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from baihe_desk.ui.common.widgets import named


def _state(u: UserRow) -> str:
    if not u.active:
        return "已停用"
    parts = ["在用"]
    if u.locked:
        parts.append("已锁定")
    if u.must_change_password:
        parts.append("须改密码")
    return "，".join(parts)


class PeopleTab(QWidget):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminPeopleTab")
        self.db, self.user = db, user
        self.dialog: ServiceDialog | None = None
        self.departments = RowsModel([
            ("部门", lambda d: d.name), ("类别", lambda d: d.kind_label), ("在用人数", lambda d: d.members),
            ("庭长", lambda d: d.chief), ("分管院长", lambda d: d.overseer)], self)
        self.dept_view = rows_table(self.departments, "departmentTable", "部门列表")
        self.users = RowsModel([
            ("用户名", lambda u: u.username), ("姓名", lambda u: u.display_name), ("角色", lambda u: u.role.label),
            ("部门", lambda u: u.department), ("职务", lambda u: "、".join(u.posts)), ("电话", lambda u: u.phone),
            ("状态", _state)], self)
        self.user_view = rows_table(self.users, "userTable", "用户列表")
        self.show_inactive = named(QCheckBox("显示已停用的账号"), "showInactiveUsers", "显示已停用的账号")
        self.show_inactive.setChecked(True)
        self.status = StatusLine("peopleStatus")

        def button(text: str, name: str, slot) -> QPushButton:  # type: ignore[no-untyped-def]
            b = named(QPushButton(text), name, text.replace("&", "").split("(")[0])
            b.clicked.connect(slot)
            return b

        self.add_dept_button = button("新增部门", "addDepartment", self.add_department)
        self.edit_dept_button = button("修改部门", "editDepartment", self.edit_department)
        self.chief_button = button("设置庭长", "setChief", lambda: self.set_post("chief"))
        self.overseer_button = button("设置分管院长", "setOverseer", lambda: self.set_post("overseer"))
        self.remove_dept_button = button("删除部门", "removeDepartment", self.remove_department)
        self.add_user_button = button("新增用户(&U)", "addUser", self.add_user)
        self.edit_user_button = button("修改用户", "editUser", self.edit_user)
        self.reset_button = button("重置密码", "resetPassword", self.reset_password)
        self.toggle_button = button("停用 / 启用", "toggleUser", self.toggle_user)

        org = QGroupBox("组织机构（部门、庭长、分管院长）")
        org_layout = QVBoxLayout(org)
        org_layout.addWidget(self.dept_view)
        row = QHBoxLayout()
        for b in (self.add_dept_button, self.edit_dept_button, self.chief_button, self.overseer_button,
                  self.remove_dept_button):
            row.addWidget(b)
        row.addStretch(1)
        org_layout.addLayout(row)
        people = QGroupBox("用户")
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(self.show_inactive)
        people_layout.addWidget(self.user_view)
        row = QHBoxLayout()
        for b in (self.add_user_button, self.edit_user_button, self.reset_button, self.toggle_button):
            row.addWidget(b)
        row.addStretch(1)
        people_layout.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(org, 2)
        layout.addWidget(people, 3)
        layout.addWidget(self.status)
        self.show_inactive.toggled.connect(lambda _c: self.refresh())
        self.dept_view.activated.connect(lambda _i: self.edit_department())  # Enter or double click
        self.user_view.activated.connect(lambda _i: self.edit_user())
        self.refresh()

    # -- data -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.db.session() as s:
            depts = organisation.list_departments(s)
            users = admin_users.list_users(s, include_inactive=self.show_inactive.isChecked())
        self.departments.set_rows(depts)
        self.users.set_rows(users)

    def _open(self, dialog: ServiceDialog, done: str) -> ServiceDialog:
        self.dialog = dialog

        def accepted() -> None:
            self.refresh()
            self.status.ok(done if "{}" not in done else done.format(dialog.result_value))

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def _need(self, row: object, what: str) -> bool:
        if row is None:
            self.status.error(f"请先在列表中选中一个{what}。")
            return False
        return True

    # -- departments ------------------------------------------------------------------------------
    def add_department(self) -> ServiceDialog:
        return self._open(DepartmentDialog(self.db, self.user, parent=self), "已新增部门。")

    def edit_department(self) -> ServiceDialog | None:
        row = selected_row(self.dept_view)
        if not self._need(row, "部门"):
            return None
        return self._open(DepartmentDialog(self.db, self.user, row, self), f"已修改部门“{row.name}”。")

    def set_post(self, post: str) -> ServiceDialog | None:
        row = selected_row(self.dept_view)
        if not self._need(row, "部门"):
            return None
        label = "庭长" if post == "chief" else "分管院长"
        return self._open(PostDialog(self.db, self.user, row, post, self), f"已设置{row.name}的{label}。")

    def remove_department(self) -> bool:
        row = selected_row(self.dept_view)
        if not self._need(row, "部门"):
            return False
        try:
            with self.db.transaction() as s:
                organisation.remove_department(s, self.user, row.id)
        except KnownError as exc:
            self.status.error(exc.message)
            return False
        self.refresh()
        self.status.ok(f"已删除部门“{row.name}”。")
        return True

    # -- users ------------------------------------------------------------------------------------
    def add_user(self) -> ServiceDialog:
        return self._open(UserDialog(self.db, self.user, self.departments.rows, parent=self),
                          "已新增用户。请把初始密码告知本人，首次登录须修改密码。")

    def edit_user(self) -> ServiceDialog | None:
        row = selected_row(self.user_view)
        if not self._need(row, "用户"):
            return None
        return self._open(UserDialog(self.db, self.user, self.departments.rows, row, self),
                          f"已修改用户“{row.display_name}”。")

    def reset_password(self) -> ServiceDialog | None:
        row = selected_row(self.user_view)
        if not self._need(row, "用户"):
            return None
        return self._open(PasswordDialog(self.db, self.user, row, self),
                          f"已将“{row.display_name}”的密码重置为 {{}}，请告知本人；下次登录时须修改密码。")

    def toggle_user(self) -> bool:
        row = selected_row(self.user_view)
        if not self._need(row, "用户"):
            return False
        try:
            with self.db.transaction() as s:
                admin_users.set_active(s, self.user, row.id, not row.active)
        except KnownError as exc:
            self.status.error(exc.message)
            return False
        self.refresh()
        self.status.ok(f"已{'启用' if not row.active else '停用'}“{row.display_name}”。")
        return True

    def select_user(self, username: str) -> bool:
        for i, r in enumerate(self.users.rows):
            if r.username == username:
                self.user_view.selectRow(i)
                return True
        return False

    def select_department(self, name: str) -> bool:
        for i, r in enumerate(self.departments.rows):
            if r.name == name:
                self.dept_view.selectRow(i)
                return True
        return False
