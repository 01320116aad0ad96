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
from baihe_desk.ui.admin.widgets import SettingField, StatusLine, WrapLabel, show_field_errors
from baihe_desk.ui.common.forms import FieldBox, enter_advances
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import named

CONFIRM_TEXT = "已按吉林省高级人民法院公布的标准核对，作为本院设置（不再提示“未经确认”）"
CATALOGUE_TEXT = {"2025": "《民事案件案由规定》2025 年修正（法〔2025〕226号、227号，2026年1月1日起施行）"}


def _plain(x: Decimal) -> str:
    return f"{x.normalize():,f}"


class RulesTab(QWidget):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminRulesTab")
        self.db, self.user = db, user
        self.fields: dict[str, SettingField] = {}
        self.boxes: dict[str, FieldBox] = {}
        self.fee_inputs: dict[str, QLineEdit] = {}
        self.ranged = fees.ranged_settings()

        body = QWidget()
        column = QVBoxLayout(body)
        catalogue = QGroupBox("案由目录")
        cat_layout = QVBoxLayout(catalogue)
        self.catalogue_label = WrapLabel(
            f"当前使用：{CATALOGUE_TEXT.get(causes.CATALOGUE_VERSION, causes.CATALOGUE_VERSION)}。"
            "已立案件保留立案时的案由及目录版本；新目录随程序更新提供。")
        self.catalogue_label.setObjectName("catalogueVersion")
        cat_layout.addWidget(self.catalogue_label)
        column.addWidget(catalogue)
        for group in [g for g in settings.GROUPS if g not in settings.OWN_SCREEN_GROUPS]:
            defs = [d for d in settings.definitions(group) if d.kind != "json"]
            if not defs:
                continue
            box = QGroupBox(settings.GROUPS[group])
            form = QFormLayout(box)
            last_note = ""
            for defn in defs:
                f = SettingField(defn)
                self.fields[defn.key] = f
                self.boxes[defn.label] = f.box
                form.addRow(f.label, f.row)
                if f.note is not None and (not defn.note or defn.note != last_note):  # wage + year: one note
                    form.addRow("", f.note)
                last_note = defn.note
            if group == "small_claims":
                self.limits = QLabel("")
                self.limits.setObjectName("smallClaimsLimits")
                form.addRow("", self.limits)
                self.wage_confirmed = named(QCheckBox(CONFIRM_TEXT), "confirmSmallClaims", CONFIRM_TEXT)
                form.addRow("", self.wage_confirmed)
            column.addWidget(box)
            if group == "small_claims":
                column.addWidget(self._fee_group())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.save_button = named(QPushButton("保存规则与期限(&S)"), "saveRules", "保存规则与期限")
        self.reload_button = named(QPushButton("放弃修改"), "reloadRules", "放弃修改，重新读取")
        self.status = StatusLine("rulesStatus")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.reload_button.clicked.connect(self.load)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # Ctrl+S saves the tab in focus
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
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(fb)
            line.addWidget(QLabel(f"元（法定幅度 {_plain(r.min)}–{_plain(r.max)} 元，{r.basis}）"), 1)
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
            f.box.clear_error()
        self._loading = False
        for key, edit in self.fee_inputs.items():
            edit.setText(_plain(Decimal(overrides[key])) if key in overrides else "")
        for box in self.boxes.values():
            box.clear_error()
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
        for box in self.boxes.values():
            box.clear_error()
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
        try:
            if errors:
                raise ValidationErrors(errors)
            with self.db.transaction() as s:
                changed = settings.set_many(s, self.user, changes)
                if unconfirm:
                    settings.reset(s, self.user, WAGE_KEY)  # the year goes with it (companion)
                    changed[WAGE_KEY] = None
        except KnownError as exc:
            show_field_errors(exc, self.boxes, self.status)
            return False
        self.load()
        labels = [settings.definition(k).label for k in changed]
        self.status.ok(f"已保存：{'、'.join(labels)}。" if labels else "没有改动。")
        return True
