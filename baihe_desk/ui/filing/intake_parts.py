"""Pieces of the intake form: the parties section and the two banners (saved / draft found)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from baihe_desk.models import PartyRole
from baihe_desk.services.filing.intake import PartyInput
from baihe_desk.ui.common.qt import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.filing.party_editor import PartyEditor

ROLE_ORDER = [PartyRole.PLAINTIFF, PartyRole.DEFENDANT, PartyRole.THIRD_PARTY]


class PartiesSection(QGroupBox):
    """当事人: the party editors, kept in role order (原告…, 被告…, 第三人…)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("当事人", parent)
        self.setObjectName("intakeParties")
        self.editors: list[PartyEditor] = []
        self.add_buttons: dict[PartyRole, QPushButton] = {}
        buttons = QHBoxLayout()
        for role, obj in ((PartyRole.PLAINTIFF, "addPlaintiff"), (PartyRole.DEFENDANT, "addDefendant"),
                          (PartyRole.THIRD_PARTY, "addThirdParty")):
            b = named(QPushButton(f"添加{role.label}"), obj, f"添加{role.label}")
            b.clicked.connect(lambda _c=False, r=role: self.add_party(r, focus=True))
            self.add_buttons[role] = b
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.list_layout = QVBoxLayout()
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(self.list_layout)

    def add_party(self, role: PartyRole, *, focus: bool = False) -> PartyEditor:
        editor = PartyEditor(role, self)
        editor.remove_requested.connect(self.remove_party)
        pos = sum(1 for e in self.editors if ROLE_ORDER.index(e.role) <= ROLE_ORDER.index(role))
        self.editors.insert(pos, editor)
        self.list_layout.insertWidget(pos, editor)
        self._renumber()
        if focus:
            editor.field("name").setFocus()
        return editor

    def remove_party(self, editor: QWidget) -> None:
        if editor not in self.editors:
            return
        self.editors.remove(editor)  # type: ignore[arg-type]
        editor.setParent(None)
        editor.deleteLater()
        self._renumber()
        self.add_buttons[PartyRole.PLAINTIFF].setFocus()

    def _renumber(self) -> None:
        counts: dict[PartyRole, int] = {}
        for i, e in enumerate(self.editors):
            counts[e.role] = counts.get(e.role, 0) + 1
            e.set_index(i, counts[e.role])
            e.remove_button.setEnabled(sum(1 for x in self.editors if x.role is e.role) > 1
                                       or e.role is PartyRole.THIRD_PARTY)
        self.changed.emit()

    def reset(self) -> None:
        for e in list(self.editors):
            self.editors.remove(e)
            e.setParent(None)
            e.deleteLater()
        self.add_party(PartyRole.PLAINTIFF)
        self.add_party(PartyRole.DEFENDANT)

    def focus_widgets(self) -> list[QWidget]:
        out: list[QWidget] = []
        for e in self.editors:
            out += e.focus_widgets()
        return out + list(self.add_buttons.values())  # after the parties: Tab from 事实和理由 goes to 原告1

    def values(self) -> list[PartyInput]:
        return [e.value() for e in self.editors]

    def to_dicts(self) -> list[dict]:
        return [e.to_dict() for e in self.editors]

    def load(self, items: list[dict]) -> None:
        for e in list(self.editors):
            self.editors.remove(e)
            e.setParent(None)
            e.deleteLater()
        for d in items:
            try:
                role = PartyRole(d.get("role", "plaintiff"))
            except ValueError:
                role = PartyRole.PLAINTIFF
            self.add_party(role).load(d)
        for role in (PartyRole.PLAINTIFF, PartyRole.DEFENDANT):
            if not any(e.role is role for e in self.editors):
                self.add_party(role)

    def is_blank(self) -> bool:
        return all(e.is_blank() for e in self.editors)

    def set_error(self, i: int, key: str, text: str) -> QWidget | None:
        if 0 <= i < len(self.editors):
            return self.editors[i].set_error(key, text)
        return None

    def clear_errors(self) -> None:
        for e in self.editors:
            e.clear_errors()

    def errors_shown(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, e in enumerate(self.editors):
            for key, box in e.boxes.items():
                if box.has_error:
                    out[f"party{i}.{key}"] = box.error_text()
            for j, a in enumerate(e.agents):
                for key, box in a.boxes.items():
                    if box.has_error:
                        out[f"party{i}.agent{j}.{key}"] = box.error_text()
        return out


class _Banner(QFrame):
    def __init__(self, object_name: str, color: str, border: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setStyleSheet(f"QFrame#{object_name} {{ background: {color}; border: 1px solid {border}; "
                           "border-radius: 4px; }")
        self.text = QLabel()
        self.text.setObjectName(object_name + "Text")
        self.text.setWordWrap(True)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 6, 10, 6)
        self.row.addWidget(self.text, 1)
        self.setVisible(False)


class ResultBanner(_Banner):
    """已登记: the 收件号 of the case just saved."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("intakeResult", "#e6f4ea", "#81c995", parent)
        self.receipt_number = ""
        self.close_button = named(QPushButton("知道了"), "intakeResultClose", "关闭提示")
        self.close_button.clicked.connect(self.hide)
        self.row.addWidget(self.close_button)

    def show_saved(self, receipt: str, names: list[str]) -> None:
        self.receipt_number = receipt
        who = escape("、".join(names[:4]) + ("等" if len(names) > 4 else ""))
        self.text.setText(f"已登记。收件号：<b>{escape(receipt)}</b>　（{who}）　可以继续登记下一件。")
        self.text.setAccessibleName(f"已登记，收件号 {receipt}")
        self.setVisible(True)


class DraftBanner(_Banner):
    """发现草稿: restore or discard the draft left by a crash or by closing the window."""

    restore_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("intakeDraftBanner", "#fef7e0", "#f9ab00", parent)
        self.restore_button = named(QPushButton("恢复草稿"), "intakeRestoreDraft", "恢复草稿")
        self.discard_button = named(QPushButton("丢弃草稿"), "intakeDiscardDraft", "丢弃草稿")
        self.restore_button.clicked.connect(self.restore_requested.emit)
        self.discard_button.clicked.connect(self.discard_requested.emit)
        self.row.addWidget(self.restore_button)
        self.row.addWidget(self.discard_button)

    def offer(self, path: Path, *, text: str = "") -> bool:
        if not path.exists():
            self.setVisible(False)
            return False
        when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        lead = text or f"发现上次未保存的收件登记草稿（{when}），"
        self.text.setText(lead + "是否恢复？")
        self.setVisible(True)
        return True
