"""字体提示: the desk says once per session that its PDFs are not drawn in 仿宋 (the note is also on each
document's record, ``GeneratedDocument.font_note``), instead of after every document."""

from __future__ import annotations

from baihe_desk.ui.common.qt import QMessageBox, QWidget
from baihe_desk.ui.common.widgets import message_box

_shown: set[str] = set()


def notify_font_once(parent: QWidget | None, note: str) -> QMessageBox | None:
    """Show ``note`` (FontPlan.body_font_note) the first time this session; None when empty or already shown."""
    if not note or note in _shown:
        return None
    _shown.add(note)
    return message_box(parent, "文书字体", note, icon=QMessageBox.Icon.Information)


def reset_for_tests() -> None:
    _shown.clear()
