"""系统管理 › 法院信息 — name, 法院代字, address, phones, seal text; the next case number as a check."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.errors import KnownError
from baihe_desk.models import CaseNumberCounter, User
from baihe_desk.services.admin import organisation
from baihe_desk.services.common.case_numbers import CaseNumber, validate_court_code
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import AdminTab
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.forms import FieldBox, enter_advances
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.qt import QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, named, text_label

HINTS = {
    "name": "法院全称，文书标题和落款使用，例如“吉林省白河林区基层法院”",
    "short_name": "用于列表和窗口标题，例如“白河林区法院”",
    "code": "案号中的法院代字：省级简称＋4位数字（基层法院），例如“吉7502”",
    "seal_text": "院印上的文字，通常与法院全称相同；留空则使用法院全称",
}


NUMERIC_FIELDS = {"postcode": "digits", "phone": "phone", "filing_phone": "phone"}  # no IME in the way


class CourtTab(AdminTab):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminCourtTab", "courtStatus", parent)
        self.inputs: dict[str, QLineEdit] = {}
        rows = []
        for key, (label, limit) in organisation.PROFILE_FIELDS.items():
            edit = named(QLineEdit(), f"court_{key}", label, tip=HINTS.get(key, ""))
            edit.setMaxLength(limit + 20)  # longer text is refused by the service with a message
            if key in NUMERIC_FIELDS:
                digits_field(edit, NUMERIC_FIELDS[key])
            if key in HINTS:
                edit.setPlaceholderText(HINTS[key])
            self.inputs[key] = edit
            self.boxes[label] = FieldBox(edit)
            rows.append((f"{label}{'（必填）' if key in ('name', 'code') else ''}：", self.boxes[label]))
        self.code_example = text_label(name="courtCodeExample", wrap=False)
        self.save_button = button("保存法院信息(&S)", "saveCourt", "保存法院信息", self.save)
        self.reload_button = button("放弃修改", "reloadCourt", "放弃修改，重新读取", self.load)
        vbox(form(*rows, ("", self.code_example)), hbox(self.save_button, self.reload_button, STRETCH), self.status,
             STRETCH, parent=self)
        enter_advances(*self.inputs.values())
        self.inputs["code"].textChanged.connect(self._code_changed)
        self.save_on_ctrl_s(self.save)
        self.load()

    def load(self) -> None:
        with self.db.session() as s:
            values = organisation.profile_values(s)
        for key, edit in self.inputs.items():
            edit.setText(values.get(key, ""))
        self.clear_errors()
        self.status.setText("")
        self._code_changed(self.inputs["code"].text())

    def _code_changed(self, text: str) -> None:
        try:
            code = validate_court_code(text)
        except KnownError as exc:
            self.code_example.setText(f"<span style='color:#b3261e'>{exc.message}</span>")
            return
        example = CaseNumber(year=desk_today().year, court_code=code, type_code="民初", serial=1).format()
        self.code_example.setText(f"案号示例：{example}")

    def values(self) -> dict[str, str]:
        return {k: e.text() for k, e in self.inputs.items()}

    def next_number(self, code: str) -> str:
        year = desk_today().year
        with self.db.session() as s:
            last = s.scalar(select(CaseNumberCounter.last_serial).where(
                CaseNumberCounter.court_code == code, CaseNumberCounter.year == year,
                CaseNumberCounter.type_code == "民初")) or 0
        return CaseNumber(year=year, court_code=code, type_code="民初", serial=last + 1).format()

    def save(self) -> bool:
        def store(session):  # type: ignore[no-untyped-def]
            profile = organisation.save_court_profile(session, self.user, **self.values())
            return profile.code, profile.name

        ok, saved = self.save_fields(store)
        if ok:
            self.load()
            self.status.ok(f"已保存“{saved[1]}”。下一件民初案件的案号将为 {self.next_number(saved[0])}。")
        return ok
