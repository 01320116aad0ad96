"""Dialogs of 系统管理 › 部门与人员: user (new / edit), password reset, department, 庭长 / 分管院长.

Each dialog runs its service call itself in one write transaction when 确定 is pressed; a refused
value is shown next to its field and the dialog stays open, so nothing typed is lost. They open
non-blocking (``open()``); the tab refreshes on ``accepted``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError
from baihe_desk.models import ROLE_LABELS, Role, User
from baihe_desk.services.admin import organisation
from baihe_desk.services.admin import users as admin_users
from baihe_desk.services.admin.organisation import DepartmentRow
from baihe_desk.services.admin.users import UserRow
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import StatusLine, WrapLabel, show_field_errors
from baihe_desk.ui.common.forms import FieldBox, enter_advances
from baihe_desk.ui.common.layout import dialog_buttons, hbox, vbox
from baihe_desk.ui.common.qt import QComboBox, QDialog, QFormLayout, QLineEdit, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import button, named

W = TypeVar("W", bound=QWidget)


class ServiceDialog(QDialog):
    """A form whose 确定 runs ``self.apply(session)`` in a write transaction."""

    def __init__(self, db: Database, actor: User, title: str, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.boxes: dict[str, FieldBox] = {}
        self.form = QFormLayout()
        self.status = StatusLine(f"{object_name}Status")
        self.buttons, self.ok_button, self.cancel_button = dialog_buttons(
            self, ("确定", f"{object_name}Ok", "确定"), ("取消", f"{object_name}Cancel", "取消"), on_accept=self.submit)
        vbox(self.form, self.status, self.buttons, parent=self)
        self.result_value: Any = None

    def add_field(self, label: str, widget: W, object_name: str) -> W:
        named(widget, object_name, label)
        box = FieldBox(widget)
        self.boxes[label] = box
        self.form.addRow(f"{label}：", box)
        return widget

    def apply(self, session: Session) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def submit(self) -> None:
        for box in self.boxes.values():
            box.clear_error()
        try:
            with self.db.transaction() as s:
                self.result_value = self.apply(s)
        except KnownError as exc:
            show_field_errors(exc, self.boxes, self.status)
            return
        self.accept()


def _role_combo(current: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role, label in ROLE_LABELS.items():
        combo.addItem(label, role.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


def _department_combo(departments: list[DepartmentRow], current: uuid.UUID | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("（无）", None)
    for d in departments:
        combo.addItem(d.name, str(d.id))
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(str(current))))
    return combo


def _dept_id(combo: QComboBox) -> uuid.UUID | None:
    data = combo.currentData()
    return uuid.UUID(data) if data else None


class UserDialog(ServiceDialog):
    """新增用户 (``row`` None) or 修改用户."""

    def __init__(self, db: Database, actor: User, departments: list[DepartmentRow], row: UserRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(db, actor, "修改用户" if row else "新增用户", "userDialog", parent)
        self.row = row
        self.username = self.add_field("用户名", QLineEdit(row.username if row else ""), "userUsername")
        self.username.setEnabled(row is None)
        self.username.setPlaceholderText("登录用，英文字母或数字，例如 lisi")
        self.display_name = self.add_field("姓名", QLineEdit(row.display_name if row else ""), "userDisplayName")
        self.role = self.add_field("角色", _role_combo(row.role if row else Role.CLERK), "userRole")
        self.department = self.add_field("部门", _department_combo(departments, row.department_id if row else None),
                                         "userDepartment")
        self.phone = self.add_field("电话", QLineEdit(row.phone if row else ""), "userPhone")
        self.password: QLineEdit | None = None
        if row is None:
            self.password = pw = QLineEdit(admin_users.temporary_password())
            pw_row = QWidget()
            regenerate = button("另生成", "userPasswordGenerate", "另生成一个初始密码",
                                lambda: pw.setText(admin_users.temporary_password()))
            hbox((self.password, 1), regenerate, margins=0, parent=pw_row)
            named(self.password, "userPassword", "初始密码")
            self.boxes["密码"] = FieldBox(pw_row)
            self.form.addRow("初始密码：", self.boxes["密码"])
            hint = WrapLabel("请把初始密码告知本人；首次登录时系统会要求其改为自己的密码。")
            self.form.addRow("", hint)
        enter_advances(self.username, self.display_name, self.phone)

    def apply(self, session: Session) -> User:
        role = Role(self.role.currentData())
        if self.row is None:
            assert self.password is not None
            return admin_users.create_user(session, self.actor, username=self.username.text(),
                                           display_name=self.display_name.text(), role=role,
                                           password=self.password.text(), department_id=_dept_id(self.department),
                                           phone=self.phone.text())
        return admin_users.update_user(session, self.actor, self.row.id, display_name=self.display_name.text(),
                                       role=role, department_id=_dept_id(self.department),
                                       phone=self.phone.text())


class PasswordDialog(ServiceDialog):
    """重置密码: a new initial password the user must change at the next login."""

    def __init__(self, db: Database, actor: User, row: UserRow, parent: QWidget | None = None):
        super().__init__(db, actor, f"重置密码 — {row.display_name}", "passwordDialog", parent)
        self.row = row
        self.password = self.add_field("密码", QLineEdit(admin_users.temporary_password()), "resetPassword")
        note = WrapLabel(f"将“{row.display_name}（{row.username}）”的密码重置为上面的临时密码；"
                      "该用户下次登录时必须修改密码。账号如因输错密码被锁定，也同时解锁。")
        self.form.addRow("", note)

    def apply(self, session: Session) -> str:
        admin_users.reset_password(session, self.actor, self.row.id, self.password.text())
        return self.password.text()


class DepartmentDialog(ServiceDialog):
    def __init__(self, db: Database, actor: User, row: DepartmentRow | None = None, parent: QWidget | None = None):
        super().__init__(db, actor, "修改部门" if row else "新增部门", "departmentDialog", parent)
        self.row = row
        self.name = self.add_field("部门名称", QLineEdit(row.name if row else ""), "departmentName")
        combo = QComboBox()
        for kind, label in organisation.KIND_LABELS.items():
            combo.addItem(label, kind)
        combo.setCurrentIndex(max(0, combo.findData(row.kind if row else "trial")))
        self.kind = self.add_field("部门类别", combo, "departmentKind")
        self.order: QtWidgets.QSpinBox | None = None
        if row is not None:
            spin = QtWidgets.QSpinBox()
            spin.setRange(0, 999)
            spin.setValue(row.sort_order)
            self.order = self.add_field("排序", spin, "departmentOrder")
        enter_advances(self.name)

    def apply(self, session: Session):  # type: ignore[no-untyped-def]
        kind = self.kind.currentData()
        if self.row is None:
            return organisation.add_department(session, self.actor, self.name.text(), kind)
        return organisation.update_department(session, self.actor, self.row.id, name=self.name.text(),
                                              kind=kind, sort_order=self.order.value() if self.order else None)


class PostDialog(ServiceDialog):
    """Choose the 庭长 or the 分管院长 of a department (only active users of that role are offered)."""

    def __init__(self, db: Database, actor: User, row: DepartmentRow, post: str, parent: QWidget | None = None):
        role = Role.DIVISION_CHIEF if post == "chief" else Role.VICE_PRESIDENT
        label = "庭长" if post == "chief" else "分管院长"
        super().__init__(db, actor, f"{row.name} — 设置{label}", "postDialog", parent)
        self.row, self.post = row, post
        with db.session() as s:
            people = [(u.id, u.display_name, u.username) for u in organisation.candidates(s, role)]
        combo = QComboBox()
        combo.addItem("（不设置）", None)
        for uid, name, username in people:
            combo.addItem(f"{name}（{username}）", str(uid))
        current = row.chief_id if post == "chief" else row.overseer_id
        if current is not None:
            combo.setCurrentIndex(max(0, combo.findData(str(current))))
        self.person = self.add_field(label, combo, "postPerson")
        if not people:
            hint = WrapLabel(f"还没有角色为“{role.label}”的在用账号，请先在用户列表中新增。")
            self.form.addRow("", hint)

    def apply(self, session: Session):  # type: ignore[no-untyped-def]
        data = self.person.currentData()
        setter: Callable = organisation.set_chief if self.post == "chief" else organisation.set_overseer
        return setter(session, self.actor, self.row.id, uuid.UUID(data) if data else None)
