"""系统管理 › 规则与期限 — the 案由 catalogue in use, the small-claims figure, the fee amounts a province
fixes inside the statutory ranges, periods and reminders, and the 诉前调解告知书 defaults.

Every field comes from the settings registry (label, unit, range, basis, and a warning where the
default is unconfirmed or local practice). 保存 sends all fields to ``settings.set_many``: every
value is checked first, so one refused value saves nothing and is marked next to its field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.models import User
from baihe_desk.services.admin import settings
from baihe_desk.services.admin.settings_catalogue import FEES_KEY, WAGE_KEY, WAGE_YEAR_KEY
from baihe_desk.services.filing import causes, fees
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import AdminTab, WrapLabel, show_field_errors
from baihe_desk.ui.common.forms import FieldBox, enter_advances
from baihe_desk.ui.common.layout import STRETCH, add_rows, group, hbox, pane, scroll_area, vbox
from baihe_desk.ui.common.qt import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, named, text_label

CONFIRM_TEXT = "已按吉林省高级人民法院公布的标准核对，作为本院设置（不再提示“未经确认”）"
CATALOGUE_TEXT = {"2025": "《民事案件案由规定》2025 年修正（法〔2025〕226号、227号，2026年1月1日起施行）"}


def _plain(x: Decimal) -> str:
    return f"{x.normalize():,f}"


class RulesTab(AdminTab):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminRulesTab", "rulesStatus", parent)
        self.fee_inputs: dict[str, QLineEdit] = {}
        self.ranged = fees.ranged_settings()

        self.catalogue_label = WrapLabel(
            f"当前使用：{CATALOGUE_TEXT.get(causes.CATALOGUE_VERSION, causes.CATALOGUE_VERSION)}。"
            "已立案件保留立案时的案由及目录版本；新目录随程序更新提供。")
        self.catalogue_label.setObjectName("catalogueVersion")
        boxes: list[QGroupBox] = [group("案由目录", self.catalogue_label)]
        for key in [g for g in settings.GROUPS if g not in settings.OWN_SCREEN_GROUPS]:
            defs = [d for d in settings.definitions(key) if d.kind != "json"]
            if not defs:
                continue
            box = QGroupBox(settings.GROUPS[key])
            rows = QFormLayout(box)
            last_note = ""
            for defn in defs:  # wage + year: one note
                self.add_setting(rows, defn, note=not defn.note or defn.note != last_note)
                last_note = defn.note
            boxes.append(box)
            if key == "small_claims":
                self.limits = text_label(name="smallClaimsLimits", wrap=False)
                self.wage_confirmed = named(QCheckBox(CONFIRM_TEXT), "confirmSmallClaims", CONFIRM_TEXT)
                add_rows(rows, [("", self.limits), ("", self.wage_confirmed)])
                boxes.append(self._fee_group())

        self.save_button = button("保存规则与期限(&S)", "saveRules", "保存规则与期限", self.save)
        self.reload_button = button("放弃修改", "reloadRules", "放弃修改，重新读取", self.load)
        vbox((scroll_area(pane(*boxes, STRETCH, margins=None)), 1), self.status,
             hbox(self.save_button, self.reload_button, STRETCH), parent=self)
        self.save_on_ctrl_s(self.save)
        self.fields[WAGE_KEY].input.textChanged.connect(lambda _t: self._update_limits())  # type: ignore[attr-defined]
        self.fields[WAGE_KEY].input.textEdited.connect(lambda _t: self.wage_confirmed.setChecked(True))  # type: ignore[attr-defined]
        self.fields[WAGE_YEAR_KEY].input.valueChanged.connect(  # type: ignore[attr-defined]
            lambda _v: None if self._loading else self.wage_confirmed.setChecked(True))
        self._loading = False
        enter_advances(*(f.input for f in self.fields.values()), *self.fee_inputs.values())
        self.load()

    def _fee_group(self) -> QGroupBox:
        box = QGroupBox("诉讼费用（本省在法定幅度内确定的标准）")
        form = QFormLayout(box)
        defn = settings.definition(FEES_KEY)
        for r in self.ranged:
            edit = named(QLineEdit(), f"fee_{r.key}", r.label)
            edit.setPlaceholderText(f"未设置：按 {_plain(r.default)} 元")
            edit.setMaximumWidth(200)
            fb = FieldBox(edit)
            self.fee_inputs[r.key] = edit
            self.boxes[r.label] = fb
            row = QWidget()
            hbox(fb, (QLabel(f"元（法定幅度 {_plain(r.min)}–{_plain(r.max)} 元，{r.basis}）"), 1), margins=0, parent=row)
            form.addRow(f"{r.label}：", row)
        note = WrapLabel(f"<span style='color:#8a5300'>⚠ {defn.note}</span><br>"
                         f"<span style='color:#555'>依据：{defn.basis}。留空表示未设置。</span>")
        form.addRow("", note)
        return box

    # -- data -------------------------------------------------------------------------------------
    def load(self) -> None:
        with self.db.session() as s:
            current = settings.values(s, self.fields)
            overrides = settings.get(s, FEES_KEY)
            confirmed = settings.is_set(s, WAGE_KEY) and settings.is_set(s, WAGE_YEAR_KEY)
            stored = {key: settings.is_set(s, key) for key in self.fields}
        self.wage_confirmed.setChecked(confirmed)
        self.loaded_confirmed = confirmed
        self._loading = True
        for key, f in self.fields.items():
            f.set_value(current[key])
            f.set_stored(stored[key])
        self._loading = False
        for key, edit in self.fee_inputs.items():
            edit.setText(_plain(Decimal(overrides[key])) if key in overrides else "")
        self.clear_errors()
        self.status.setText("")
        self._update_limits()
        self.loaded = self.changes()

    def _update_limits(self) -> None:
        try:
            wage = settings.validate(WAGE_KEY, self.fields[WAGE_KEY].value())
        except KnownError:
            self.limits.setText("")
            return
        self.limits.setText(f"小额诉讼标的额上限（50%）：{wage / 2:,.2f} 元；"
                            f"双方约定适用的上限（二倍）：{wage * 2:,.2f} 元")

    def changes(self) -> dict[str, Any]:
        """What the fields hold now (only the fields that differ from what was loaded are saved)."""
        out: dict[str, Any] = {key: f.value() for key, f in self.fields.items()}
        out[FEES_KEY] = {k: e.text().strip() for k, e in self.fee_inputs.items() if e.text().strip()}
        return out

    def save(self) -> bool:
        self.clear_errors()
        changes = {k: v for k, v in self.changes().items() if v != self.loaded.get(k)}
        unconfirm = self.loaded_confirmed and not self.wage_confirmed.isChecked()
        if self.wage_confirmed.isChecked():  # confirming the figure shown stores it even when unchanged
            changes.setdefault(WAGE_KEY, self.fields[WAGE_KEY].value())
            changes.setdefault(WAGE_YEAR_KEY, self.fields[WAGE_YEAR_KEY].value())
        elif unconfirm:  # back to the shipped (unconfirmed) default
            changes.pop(WAGE_KEY, None)
            changes.pop(WAGE_YEAR_KEY, None)
        errors: list[ValidationError] = []
        for key, raw in changes.items():  # every field checked, so all problems show at once
            try:
                settings.validate(key, raw)
            except ValidationErrors as exc:
                errors.extend(exc.errors)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            show_field_errors(ValidationErrors(errors), self.boxes, self.status)
            return False

        def store(session):  # type: ignore[no-untyped-def]
            changed = settings.set_many(session, self.user, changes)
            if unconfirm:
                settings.reset(session, self.user, WAGE_KEY)  # the year goes with it (companion)
                changed[WAGE_KEY] = None
            return changed

        ok, changed = self.save_fields(store)
        if not ok:
            return False
        self.load()
        labels = [settings.definition(k).label for k in changed]
        self.status.ok(f"已保存：{'、'.join(labels)}。" if labels else "没有改动。")
        return True
