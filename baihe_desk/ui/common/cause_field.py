"""案由 input with type-ahead over the catalogue: 汉字 substrings, pinyin initials (mjjd → 民间借贷纠纷)
or full pinyin. The popup shows the name and where it sits in the catalogue.
"""

from __future__ import annotations

from baihe_desk.services.filing import causes
from baihe_desk.ui.common.qt import (
    QCompleter,
    QItemSelectionModel,
    QLineEdit,
    QModelIndex,
    Qt,
    QtGui,
    QTimer,
    QWidget,
    Signal,
)

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole


class CauseField(QLineEdit):
    """A line edit with a 案由 completer; ``cause`` is the chosen catalogue entry (or None)."""

    cause_chosen = Signal(object)  # causes.Cause

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.cause: causes.Cause | None = None
        self.setPlaceholderText("输入汉字或拼音首字母，如“民间借贷”或“mjjd”，从列表中选择")
        self._model = QtGui.QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(NAME_ROLE)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(12)
        self._completer.popup().setObjectName("causePopup")
        self._completer.popup().setAccessibleName("案由候选")
        self.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._activated)
        self.textEdited.connect(self._update)

    def _update(self, text: str) -> None:
        self.cause = None
        hits = causes.find(text, limit=30) if text.strip() else []
        self._model.clear()
        for c in hits:
            parent_path = c.path.rsplit(" › ", 1)[0]
            item = QtGui.QStandardItem(f"{c.name}　　{parent_path}")
            item.setData(c.name, NAME_ROLE)
            item.setData(c.code, CODE_ROLE)
            item.setToolTip(c.path)
            item.setEditable(False)
            self._model.appendRow(item)
        if hits:
            self._completer.complete()
            # The best match becomes the popup's *current* row without being selected (selecting
            # would replace the typed text at once): Enter takes it; Down selects it, then moves on.
            # QLineEdit resets the popup after this slot, hence the zero timer.
            QTimer.singleShot(0, self._make_first_current)
        else:
            self._completer.popup().hide()

    def _make_first_current(self) -> None:
        popup = self._completer.popup()
        if popup.isVisible() and self._model.rowCount() and not popup.selectionModel().hasSelection():
            popup.selectionModel().setCurrentIndex(self._model.index(0, 0),
                                                   QItemSelectionModel.SelectionFlag.NoUpdate)

    def _activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        cause = causes.by_code(code) if code else None
        if cause is not None:
            self.set_cause(cause)

    def set_cause(self, cause: causes.Cause | None) -> None:
        self.cause = cause
        self.setText(cause.name if cause else "")
        self.setToolTip(cause.path if cause else "")
        self.cause_chosen.emit(cause)

    def popup_visible(self) -> bool:
        return self._completer.popup().isVisible()

    def code(self) -> str:
        """The chosen code, or the code of an exactly typed name (else empty: the service complains)."""
        if self.cause is not None and self.cause.name == self.text().strip():
            return self.cause.code
        name = self.text().strip()
        for c in causes.selectable():
            if c.name == name:
                return c.code
        return ""
