"""调解名册 — the administrator's page for the mediation roster: organisations (诉非联动服务站, 董嫂说事点,
“法院+银行”, 网格调解员 …) and their mediators (login users with role 调解员). Nothing is deleted: 停用 keeps
old cases readable and stops new assignments.
"""

from __future__ import annotations

import uuid
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import OrganisationKind
from baihe_desk.services.mediation import roster as mediation_roster
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, group, hbox, pane, splitter, vbox
from baihe_desk.ui.common.list_detail import ListDetailPage, RowsModel, rows_table
from baihe_desk.ui.common.qt import QComboBox, QLabel, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, combo, named, text_label
from baihe_desk.ui.mediation.forms import run_write


class OrganisationsModel(RowsModel):
    HEADERS = ("调解组织", "类型", "地点", "电话", "调解员", "状态")

    def cells(self, row: mediation_roster.OrganisationRow) -> tuple[str, ...]:
        active = sum(m.active for m in row.mediators)
        return (row.name, row.kind.label, row.location, row.phone, f"{active} 人", "在用" if row.active else "已停用")


class MediatorsModel(RowsModel):
    HEADERS = ("调解员", "登录账号", "电话", "专长", "在办案件", "状态")

    def cells(self, row: mediation_roster.MediatorRow) -> tuple[str, ...]:
        return (row.name, row.username, row.phone, row.specialties, str(row.open_cases),
                "在用" if row.active else "已停用")


class MediationRosterPage(ListDetailPage):
    LIVE = False  # ``listed`` refills the mediator pickers of the forms: refreshed by F5 only
    """调解名册 for the administrator: the organisations, and the mediators of the one selected.
    ``MediationRosterPage(db, paths, user)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "mediationRosterPage", OrganisationsModel, ("organisationTable", "调解组织"),
                         parent)
        self.orgs, self.org_table = self.model, self.table
        self.defaults_button = button("载入本院调解组织", "installDefaults", "载入本院调解组织", self.install_defaults,
                                      tip="诉非联动服务站、董嫂说事点、“法院+银行”、网格调解员（已有的不重复添加）")
        self.org_toggle = button("停用/启用", "toggleOrganisation", "停用或启用所选调解组织", self.toggle_organisation)
        self.org_name = named(QLineEdit(), "organisationName", "调解组织名称")
        self.org_kind = combo("organisationKind", "调解组织类型", [(k.label, k.value) for k in OrganisationKind])
        self.org_location = named(QLineEdit(), "organisationLocation", "地点")
        self.org_phone = digits_field(named(QLineEdit(), "organisationPhone", "电话"), "phone")
        self.org_add = button("添加调解组织", "addOrganisation", "添加调解组织", self.add_organisation)

        self.meds = MediatorsModel(self)
        self.med_table = rows_table(self.meds, "mediatorTable", "调解员")
        self.med_toggle = button("停用/启用", "toggleMediator", "停用或启用所选调解员", self.toggle_mediator)
        self.med_user = named(QComboBox(), "mediatorUser", "登录账号（调解员角色）")
        self.med_name = named(QLineEdit(), "mediatorName", "调解员姓名（文书上显示）")
        self.med_phone = digits_field(named(QLineEdit(), "mediatorPhone", "调解员电话"), "phone")
        self.med_special = named(QLineEdit(), "mediatorSpecialties", "专长")
        self.med_add = button("添加调解员", "addMediator", "添加调解员", self.add_mediator)
        self.status = text_label(name="rosterStatus")

        left = pane(hbox(self.defaults_button, self.org_toggle, STRETCH), (self.org_table, 1), group(
            "添加调解组织", rows=[("名称(&N)", self.org_name), ("类型", self.org_kind), ("地点", self.org_location),
                                 ("电话", self.org_phone), self.org_add]), margins=None)
        right = pane(hbox(QLabel("所选调解组织的调解员"), STRETCH, self.med_toggle), (self.med_table, 1), group(
            "添加调解员（须先由管理员建立“调解员”角色的登录账号）", rows=[
                ("登录账号(&U)", self.med_user), ("姓名", self.med_name), ("电话", self.med_phone),
                ("专长", self.med_special), self.med_add]), margins=None)
        vbox((splitter("rosterSplitter", left, right), 1), self.status, parent=self)
        self.refresh()

    # -- loading -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self._current_org()
        self.list_rows(lambda s: (mediation_roster.roster_rows(s), mediation_roster.candidate_users(s)),
                       keep=keep.id if keep else None, then=self.listed)

    def listed(self, result: Any) -> None:
        _rows, users = result
        self.med_user.clear()
        for u in users:
            self.med_user.addItem(f"{u.display_name}（{u.username}）", str(u.id))
        if self.orgs.rows and self.org_table.currentIndex().row() < 0:
            self.org_table.selectRow(0)
        self.row_selected(self._current_org())

    def _current_org(self) -> mediation_roster.OrganisationRow | None:
        return self.orgs.row(self.org_table.currentIndex().row())

    def row_selected(self, row: mediation_roster.OrganisationRow | None) -> None:
        """The mediators of the organisation selected (a detail read with the list, nothing to load)."""
        self.meds.set_rows(row.mediators if row is not None else [])

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
