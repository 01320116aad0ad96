"""调解名册 — the administrator's page for the mediation roster: organisations (诉非联动服务站, 董嫂说事点,
“法院+银行”, 网格调解员 …) and their mediators (login users with role 调解员). Nothing is deleted: 停用 keeps
old cases readable and stops new assignments.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QGroupBox, QSplitter

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import OrganisationKind
from baihe_desk.services.mediation import roster as mediation_roster
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named
from baihe_desk.ui.mediation.forms import run_write
from baihe_desk.ui.mediation.models import _RowsModel


class OrganisationsModel(_RowsModel):
    HEADERS = ("调解组织", "类型", "地点", "电话", "调解员", "状态")

    def cells(self, row: mediation_roster.OrganisationRow) -> tuple[str, ...]:
        active = sum(m.active for m in row.mediators)
        return (row.name, row.kind.label, row.location, row.phone, f"{active} 人", "在用" if row.active else "已停用")


class MediatorsModel(_RowsModel):
    HEADERS = ("调解员", "登录账号", "电话", "专长", "在办案件", "状态")

    def cells(self, row: mediation_roster.MediatorRow) -> tuple[str, ...]:
        return (row.name, row.username, row.phone, row.specialties, str(row.open_cases),
                "在用" if row.active else "已停用")


def _table(name: str, accessible: str, model: _RowsModel) -> QTableView:
    table = named(QTableView(), name, accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class MediationRosterPage(QWidget):
    """调解名册 for the administrator. ``MediationRosterPage(db, paths, user)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mediationRosterPage")
        self.db, self.paths, self.user = db, paths, user

        self.orgs = OrganisationsModel(self)
        self.org_table = _table("organisationTable", "调解组织", self.orgs)
        self.org_table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._org_selected(cur.row()))
        self.defaults_button = named(QPushButton("载入本院调解组织"), "installDefaults", "载入本院调解组织",
                                     tip="诉非联动服务站、董嫂说事点、“法院+银行”、网格调解员（已有的不重复添加）")
        self.org_toggle = named(QPushButton("停用/启用"), "toggleOrganisation", "停用或启用所选调解组织")
        self.org_name = named(QLineEdit(), "organisationName", "调解组织名称")
        self.org_kind = named(QComboBox(), "organisationKind", "调解组织类型")
        for k in OrganisationKind:
            self.org_kind.addItem(k.label, k.value)
        self.org_location = named(QLineEdit(), "organisationLocation", "地点")
        self.org_phone = named(QLineEdit(), "organisationPhone", "电话")
        self.org_add = named(QPushButton("添加调解组织"), "addOrganisation", "添加调解组织")

        self.meds = MediatorsModel(self)
        self.med_table = _table("mediatorTable", "调解员", self.meds)
        self.med_toggle = named(QPushButton("停用/启用"), "toggleMediator", "停用或启用所选调解员")
        self.med_user = named(QComboBox(), "mediatorUser", "登录账号（调解员角色）")
        self.med_name = named(QLineEdit(), "mediatorName", "调解员姓名（文书上显示）")
        self.med_phone = named(QLineEdit(), "mediatorPhone", "调解员电话")
        self.med_special = named(QLineEdit(), "mediatorSpecialties", "专长")
        self.med_add = named(QPushButton("添加调解员"), "addMediator", "添加调解员")
        self.status = QLabel()
        self.status.setObjectName("rosterStatus")
        self.status.setWordWrap(True)

        self.defaults_button.clicked.connect(self.install_defaults)
        self.org_toggle.clicked.connect(self.toggle_organisation)
        self.org_add.clicked.connect(self.add_organisation)
        self.med_toggle.clicked.connect(self.toggle_mediator)
        self.med_add.clicked.connect(self.add_mediator)

        left = QWidget()
        lv = QVBoxLayout(left)
        row = QHBoxLayout()
        row.addWidget(self.defaults_button)
        row.addWidget(self.org_toggle)
        row.addStretch(1)
        lv.addLayout(row)
        lv.addWidget(self.org_table, 1)
        box = QGroupBox("添加调解组织")
        form = QFormLayout(box)
        form.addRow(buddy_label("名称(&N)", self.org_name), self.org_name)
        form.addRow(buddy_label("类型", self.org_kind), self.org_kind)
        form.addRow(buddy_label("地点", self.org_location), self.org_location)
        form.addRow(buddy_label("电话", self.org_phone), self.org_phone)
        form.addRow(self.org_add)
        lv.addWidget(box)
        right = QWidget()
        rv = QVBoxLayout(right)
        row = QHBoxLayout()
        row.addWidget(QLabel("所选调解组织的调解员"))
        row.addStretch(1)
        row.addWidget(self.med_toggle)
        rv.addLayout(row)
        rv.addWidget(self.med_table, 1)
        box = QGroupBox("添加调解员（须先由管理员建立“调解员”角色的登录账号）")
        form = QFormLayout(box)
        form.addRow(buddy_label("登录账号(&U)", self.med_user), self.med_user)
        form.addRow(buddy_label("姓名", self.med_name), self.med_name)
        form.addRow(buddy_label("电话", self.med_phone), self.med_phone)
        form.addRow(buddy_label("专长", self.med_special), self.med_special)
        form.addRow(self.med_add)
        rv.addWidget(box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("rosterSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.refresh()

    # -- loading -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self._current_org()

        def load(session, _ctx):  # type: ignore[no-untyped-def]
            return mediation_roster.roster_rows(session), mediation_roster.candidate_users(session)

        def done(result: Any) -> None:
            rows, users = result
            self.orgs.set_rows(rows)
            self.med_user.clear()
            for u in users:
                self.med_user.addItem(f"{u.display_name}（{u.username}）", str(u.id))
            ids = [r.id for r in rows]
            if rows:
                self.org_table.selectRow(ids.index(keep.id) if keep and keep.id in ids else 0)
            self._org_selected(self.org_table.currentIndex().row())

        run_in_background(load, parent=self, db=self.db, on_success=done)

    def _current_org(self) -> mediation_roster.OrganisationRow | None:
        row = self.org_table.currentIndex().row()
        return self.orgs.rows[row] if 0 <= row < len(self.orgs.rows) else None

    def _org_selected(self, row: int) -> None:
        self.meds.set_rows(list(self.orgs.rows[row].mediators) if 0 <= row < len(self.orgs.rows) else [])

    def _write(self, fn, busy: str, done) -> None:  # type: ignore[no-untyped-def]
        run_write(self, self.db, fn, status=self.status, busy=busy, done=done, after=lambda _r: self.refresh())

    # -- actions ---------------------------------------------------------------------------------------------
    def install_defaults(self) -> None:
        user = self.user
        self._write(lambda s: len(mediation_roster.install_defaults(s, user)), "正在载入…",
                    lambda n: f"已载入 {n} 个调解组织。" if n else "本院调解组织均已在名册中。")

    def add_organisation(self) -> None:
        user, name, kind = self.user, self.org_name.text(), self.org_kind.currentData()
        location, phone = self.org_location.text(), self.org_phone.text()
        self._write(lambda s: mediation_roster.add_organisation(s, user, name, kind, location=location,
                                                                phone=phone).name,
                    "正在添加…", lambda n: f"已添加调解组织：{n}。")

    def toggle_organisation(self) -> None:
        org = self._current_org()
        if org is None:
            return
        user, active = self.user, not org.active

        def done(open_cases: int) -> str:
            text = f"已{'启用' if active else '停用'}：{org.name}。"
            return text + (f"该组织尚有 {open_cases} 件在办调解案件，已委派的案件不受影响。" if open_cases and not active else "")

        self._write(lambda s: mediation_roster.set_organisation_active(s, user, org.id, active).open_cases,
                    "正在保存…", done)

    def add_mediator(self) -> None:
        org, user = self._current_org(), self.user
        if org is None or not self.med_user.currentData():
            self.status.setText("请先选择调解组织和登录账号。")
            return
        user_id = uuid.UUID(self.med_user.currentData())
        name, phone, special = self.med_name.text(), self.med_phone.text(), self.med_special.text()
        self._write(lambda s: mediation_roster.add_mediator(s, user, org.id, user_id, name=name, phone=phone,
                                                            specialties=special).name,
                    "正在添加…", lambda n: f"已将 {n} 列入 {org.name} 的调解员名册。")

    def toggle_mediator(self) -> None:
        row = self.med_table.currentIndex().row()
        if not 0 <= row < len(self.meds.rows):
            return
        med, user = self.meds.rows[row], self.user
        active = not med.active

        def done(open_cases: int) -> str:
            text = f"已{'启用' if active else '停用'}调解员 {med.name}。"
            return text + (f"其尚有 {open_cases} 件在办案件，请在“诉前调解”页改派。" if open_cases and not active else "")

        self._write(lambda s: mediation_roster.set_mediator_active(s, user, med.id, active).open_cases, "正在保存…",
                    done)
