"""修改冲突: someone else saved the record after this desk showed it.

Shown instead of a plain message for a :class:`~baihe_desk.services.common.concurrency.EditConflict`: who
changed it and when, and for each free-text field both versions side by side (what this clerk wrote, what is
saved now), with a button to copy one's own text before the page reloads. Nothing was saved; the only way
on is to reload and decide again, so no one's change is lost without a person seeing it.
"""

from __future__ import annotations

from baihe_desk.ui.common.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def named(widget, object_name: str, accessible_name: str):  # type: ignore[no-untyped-def]
    widget.setObjectName(object_name)  # (widgets.named: that module opens this dialog, so no import back)
    widget.setAccessibleName(accessible_name)
    return widget


class ConflictDialog(QDialog):
    def __init__(self, exc, parent: QWidget | None = None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(exc.title)
        self.setAccessibleName("修改冲突")
        box = QVBoxLayout(self)
        head = QLabel(exc.message)
        head.setObjectName("conflictMessage")
        head.setWordWrap(True)
        box.addWidget(head)
        self.mine: list[QPlainTextEdit] = []
        if exc.texts:
            grid = QGridLayout()
            for row, t in enumerate(exc.texts, 1):
                label = QLabel(f"<b>{t.label}</b>")
                label.setWordWrap(True)
                grid.addWidget(label, 3 * row - 3, 0, 1, 2)
                grid.addWidget(QLabel("您写的（未保存）"), 3 * row - 2, 0)
                grid.addWidget(QLabel("现在保存的"), 3 * row - 2, 1)
                mine = named(QPlainTextEdit(t.mine or "（空）"), f"conflictMine{row}", f"{t.label}：您写的")
                theirs = named(QPlainTextEdit(t.theirs or "（空）"), f"conflictTheirs{row}", f"{t.label}：现在保存的")
                for w in (mine, theirs):
                    w.setReadOnly(True)
                    w.setMaximumHeight(110)
                grid.addWidget(mine, 3 * row - 1, 0)
                grid.addWidget(theirs, 3 * row - 1, 1)
                if t.mine:
                    self.mine.append(mine)
            box.addLayout(grid)
        buttons = QDialogButtonBox()
        if self.mine:
            copy = named(QPushButton("复制我写的文字"), "conflictCopyMine", "复制我写的文字")
            copy.clicked.connect(self.copy_mine)
            buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        reload = named(QPushButton("重新载入"), "conflictReload", "重新载入最新内容")
        reload.setDefault(True)
        reload.clicked.connect(self.accept)
        buttons.addButton(reload, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addWidget(buttons)
        self.resize(640 if exc.texts else 420, self.sizeHint().height())

    def copy_mine(self) -> None:
        QApplication.clipboard().setText("\n\n".join(w.toPlainText() for w in self.mine))


def is_edit_conflict(exc: BaseException) -> bool:
    from baihe_desk.services.common.concurrency import EditConflict

    return isinstance(exc, EditConflict)


def show_conflict(parent: QWidget | None, exc) -> ConflictDialog:  # type: ignore[no-untyped-def]
    """Open the dialog (non-blocking, like the desk's other messages) and return it."""
    dialog = ConflictDialog(exc, parent)
    dialog.setModal(True)
    dialog.show()
    return dialog
