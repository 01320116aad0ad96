"""系统管理 › 部门与人员 — the organisation (departments, 庭长, 分管院长) and the user accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from baihe_desk.ui.admin.widgets import AdminTab, selected_row
from baihe_desk.ui.common.layout import STRETCH, group, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table, select_row
from baihe_desk.ui.common.qt import QCheckBox, QTableView, QWidget
from baihe_desk.ui.common.widgets import button, named


def _state(u: UserRow) -> str:
    if not u.active:
        return "已停用"
    parts = ["在用"]
    if u.locked:
        parts.append("已锁定")
    if u.must_change_password:
        parts.append("须改密码")
    return "，".join(parts)


class PeopleTab(AdminTab):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminPeopleTab", "peopleStatus", parent)
        self.dialog: ServiceDialog | None = None
        self.departments = RowsModel(self, tooltips=True, columns=[
            ("部门", lambda d: d.name), ("类别", lambda d: d.kind_label), ("在用人数", lambda d: d.members),
            ("庭长", lambda d: d.chief), ("分管院长", lambda d: d.overseer)])
        self.dept_view = rows_table(self.departments, "departmentTable", "部门列表", tab_keys=False, alternating=True)
        self.users = RowsModel(self, tooltips=True, columns=[
            ("用户名", lambda u: u.username), ("姓名", lambda u: u.display_name), ("角色", lambda u: u.role.label),
            ("部门", lambda u: u.department), ("职务", lambda u: "、".join(u.posts)), ("电话", lambda u: u.phone),
            ("状态", _state)])
        self.user_view = rows_table(self.users, "userTable", "用户列表", tab_keys=False, alternating=True)
        self.show_inactive = named(QCheckBox("显示已停用的账号"), "showInactiveUsers", "显示已停用的账号")
        self.show_inactive.setChecked(True)

        self.add_dept_button = button("新增部门", "addDepartment", slot=self.add_department)
        self.edit_dept_button = button("修改部门", "editDepartment", slot=self.edit_department)
        self.chief_button = button("设置庭长", "setChief", slot=lambda: self.set_post("chief"))
        self.overseer_button = button("设置分管院长", "setOverseer", slot=lambda: self.set_post("overseer"))
        self.remove_dept_button = button("删除部门", "removeDepartment", slot=self.remove_department)
        self.add_user_button = button("新增用户(&U)", "addUser", slot=self.add_user)
        self.edit_user_button = button("修改用户", "editUser", slot=self.edit_user)
        self.reset_button = button("重置密码", "resetPassword", slot=self.reset_password)
        self.toggle_button = button("停用 / 启用", "toggleUser", slot=self.toggle_user)

        org = group("组织机构（部门、庭长、分管院长）", self.dept_view, hbox(
            self.add_dept_button, self.edit_dept_button, self.chief_button, self.overseer_button,
            self.remove_dept_button, STRETCH))
        people = group("用户", self.show_inactive, self.user_view, hbox(
            self.add_user_button, self.edit_user_button, self.reset_button, self.toggle_button, STRETCH))
        vbox((org, 2), (people, 3), self.status, parent=self)
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

    def _with(self, view: QTableView, what: str, act: Callable[[Any], Any]) -> Any:
        """``act(row)`` for the row selected in ``view``; without one, say so (and None)."""
        row = selected_row(view)
        if row is None:
            self.status.error(f"请先在列表中选中一个{what}。")
            return None
        return act(row)

    # -- departments ------------------------------------------------------------------------------
    def add_department(self) -> ServiceDialog:
        return self._open(DepartmentDialog(self.db, self.user, parent=self), "已新增部门。")

    def edit_department(self) -> ServiceDialog | None:
        return self._with(self.dept_view, "部门", lambda row: self._open(
            DepartmentDialog(self.db, self.user, row, self), f"已修改部门“{row.name}”。"))

    def set_post(self, post: str) -> ServiceDialog | None:
        label = "庭长" if post == "chief" else "分管院长"
        return self._with(self.dept_view, "部门", lambda row: self._open(
            PostDialog(self.db, self.user, row, post, self), f"已设置{row.name}的{label}。"))

    def remove_department(self) -> bool:
        return bool(self._with(self.dept_view, "部门", lambda row: self.write(
            lambda s: organisation.remove_department(s, self.user, row.id), f"已删除部门“{row.name}”。")))

    # -- users ------------------------------------------------------------------------------------
    def add_user(self) -> ServiceDialog:
        return self._open(UserDialog(self.db, self.user, self.departments.rows, parent=self),
                          "已新增用户。请把初始密码告知本人，首次登录须修改密码。")

    def edit_user(self) -> ServiceDialog | None:
        return self._with(self.user_view, "用户", lambda row: self._open(
            UserDialog(self.db, self.user, self.departments.rows, row, self), f"已修改用户“{row.display_name}”。"))

    def reset_password(self) -> ServiceDialog | None:
        return self._with(self.user_view, "用户", lambda row: self._open(
            PasswordDialog(self.db, self.user, row, self),
            f"已将“{row.display_name}”的密码重置为 {{}}，请告知本人；下次登录时须修改密码。"))

    def toggle_user(self) -> bool:
        return bool(self._with(self.user_view, "用户", lambda row: self.write(
            lambda s: admin_users.set_active(s, self.user, row.id, not row.active),
            f"已{'启用' if not row.active else '停用'}“{row.display_name}”。")))

    def select_user(self, username: str) -> bool:
        return select_row(self.user_view, "username", username)

    def select_department(self, name: str) -> bool:
        return select_row(self.dept_view, "name", name)
