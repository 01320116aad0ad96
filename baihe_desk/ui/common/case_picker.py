"""选择案件 — the one case picker: a field with a completion list of matching cases, used wherever a
case is named (执行咨询, 判后答疑 …), and the Ctrl+K dialog that opens it from anywhere.

What may be typed: 案号 with half- or full-width brackets, a part of it, the serial alone (``101``),
a 收件号, a party's name or its pinyin initials (:mod:`baihe_desk.services.common.case_picker`).
"""

from __future__ import annotations

import uuid
from typing import Any

from baihe_desk.services.common.case_picker import pick_cases
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QCompleter,
    QDialog,
    QItemSelectionModel,
    QLabel,
    QLineEdit,
    QModelIndex,
    Qt,
    QtGui,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named, single_shot

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_ROLE = Qt.ItemDataRole.UserRole
PLACEHOLDER = "案号（全角半角括号均可）、编号如 101、收件号、当事人姓名或拼音首字母"


def row_text(r: Any) -> str:
    parties = "、".join(x for x in (r.plaintiffs, r.defendants) if x)
    return f"{r.number}　{r.cause_name}　{parties}　{r.stage.label}"


class CaseField(QLineEdit):
    """A line edit naming a case, with a completion list of the cases matching what is typed.
    ``case_id`` is the case chosen from the list (None while the text was typed and not chosen);
    ``case_chosen(id)`` says it was chosen."""

    case_chosen = Signal(object)  # uuid.UUID
    searched = Signal()  # a completion list was shown (tests wait on it)

    def __init__(self, db: Any, name: str = "caseRef", accessible: str = "案号或收件号",
                 parent: QWidget | None = None):
        super().__init__(parent)
        named(self, name, accessible, tip=PLACEHOLDER)
        self.db = db
        self.case_id: uuid.UUID | None = None
        self.setPlaceholderText(PLACEHOLDER)
        self.model = QtGui.QStandardItemModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCompletionRole(NUMBER_ROLE)
        self.completer_.setMaxVisibleItems(12)
        popup = self.completer_.popup()
        popup.setObjectName(f"{name}Popup")
        popup.setAccessibleName("匹配的案件")
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.timer = single_shot(self, 150, self._search)
        self.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self.case_id = None
        self.timer.start()

    def _search(self) -> None:
        text = self.text()
        if not text.strip():
            self.completer_.popup().hide()
            return
        run_in_background(lambda s, _c: pick_cases(s, text), parent=self, db=self.db,
                          on_success=lambda rows: self._show(text, rows))

    def _show(self, text: str, rows: list[Any]) -> None:
        if text != self.text():
            return  # typed on meanwhile: a newer search follows
        self.model.clear()
        for r in rows:
            item = QtGui.QStandardItem(row_text(r))
            item.setData(r.number, NUMBER_ROLE)
            item.setData(r.id, ID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if rows:
            self.completer_.complete()
            popup = self.completer_.popup()
            popup.selectionModel().setCurrentIndex(self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            self.completer_.popup().hide()
        self.searched.emit()

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(ID_ROLE)
        if case_id is None:
            return
        self.case_id = case_id
        self.setText(index.data(NUMBER_ROLE))
        self.case_chosen.emit(case_id)

    def popup_visible(self) -> bool:
        return self.completer_.popup().isVisible()


class CasePickerDialog(QDialog):
    """Ctrl+K: type, pick from the list (Enter takes the first), the dialog closes with ``case_id``."""

    def __init__(self, db: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("casePickerDialog")
        self.setWindowTitle("选择案件")
        self.case_id: uuid.UUID | None = None
        self.field = CaseField(db, "casePickerField", "查找案件", self)
        self.field.case_chosen.connect(self._chosen)
        self.field.returnPressed.connect(self._typed)
        note = QLabel("输入后从列表中选择（↑↓ 选择，回车确定，Esc 取消）")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(note)
        self.resize(self.fontMetrics().horizontalAdvance(PLACEHOLDER) + 80, self.sizeHint().height())

    def _chosen(self, case_id: uuid.UUID) -> None:
        self.case_id = case_id
        self.accept()

    def _typed(self) -> None:
        """Enter without the list: the first match, if the search has answered."""
        if self.field.popup_visible() or self.case_id is not None:
            return
        if self.field.model.rowCount():
            self._chosen(self.field.model.index(0, 0).data(ID_ROLE))
