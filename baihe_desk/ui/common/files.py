"""导出的文件 — the names suggested for saving (Chinese, safe on Windows), the save dialog's filter for
the file's format, and the 打开 / 打开所在文件夹 box after every export."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from baihe_desk.ui.common.qt import QMessageBox, Qt, QWidget

FILTERS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)", "json": "设置文件 (*.json)"}
ALL_FILES = "所有文件 (*)"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
REMEMBERED: dict[str, tuple[int, int] | None] = {"preview": None}  # window sizes kept in window.ini
MAX_NAME = 120  # characters: well inside Windows' 255 per name and the 260 of a whole path


def safe_file_name(name: str) -> str:
    """``name`` as a file name Windows accepts: no ``<>:"/\\|?*`` or control characters (full-width
    look-alikes keep the meaning), no trailing dot or space, not a reserved device name, not too long."""
    table = {'<': '＜', '>': '＞', ':': '：', '"': '＂', '/': '／', '\\': '＼', '|': '｜', '?': '？', '*': '＊'}
    cleaned = "".join(table.get(ch, ch) for ch in name)
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "", cleaned).strip().rstrip(". ")
    stem, dot, ext = cleaned.rpartition(".") if "." in cleaned else (cleaned, "", "")
    if stem.upper() in WINDOWS_RESERVED:
        stem = f"{stem}_"
    if len(stem) > MAX_NAME:
        stem = stem[:MAX_NAME]
    return f"{stem}{dot}{ext}" if dot else stem or "文件"


def export_name(case_ref: str, title: str, fmt: str) -> str:
    """``（2026）吉7502民初101号-送达地址确认书.pdf``."""
    head = "-".join(x for x in (case_ref.strip(), title.strip()) if x)
    return safe_file_name(f"{head}.{fmt}")


def save_filter(fmt: str) -> str:
    """The save dialog's filter: the file's own format first (selected), then every file."""
    own = FILTERS.get(fmt.lower(), f"{fmt.upper()} 文件 (*.{fmt.lower()})")
    return f"{own};;{ALL_FILES}"


def open_local(path: Path) -> bool:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def exported_box(parent: QWidget, title: str, text: str, files: Sequence[Path], *,
                 opener: Callable[[Path], Any] | None = None) -> QMessageBox:
    """A non-blocking box after an export: 打开 (the first file), 打开所在文件夹, 关闭."""
    opener = opener or open_local
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("exportedBox")
    buttons = []
    for label, name in (("打开", "exportOpen"), ("打开所在文件夹", "exportFolder"), ("关闭", "exportClose")):
        b = box.addButton(label, QMessageBox.ButtonRole.AcceptRole if name != "exportClose"
                          else QMessageBox.ButtonRole.RejectRole)
        b.setObjectName(name)
        b.setAccessibleName(label)
        buttons.append(b)
    if files:
        buttons[0].clicked.connect(lambda: opener(files[0]))
        buttons[1].clicked.connect(lambda: opener(files[0].parent))
    else:
        buttons[0].setEnabled(False)
        buttons[1].setEnabled(False)
    box.setDefaultButton(buttons[0] if files else buttons[2])
    box.setEscapeButton(buttons[2])
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
