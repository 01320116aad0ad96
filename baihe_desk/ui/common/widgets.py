"""Small helpers every view uses: naming widgets, labels, buttons, combo boxes and timers, calm messages, the UI
font, Chinese Qt strings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from baihe_desk.errors import KnownError
from baihe_desk.ui.common.qt import (
    QApplication,
    QComboBox,
    QDialog,
    QFont,
    QFontDatabase,
    QLabel,
    QLibraryInfo,
    QLocale,
    QMessageBox,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QTranslator,
    QWidget,
)

W = TypeVar("W", bound=QWidget)

UI_POINT_SIZE = 10  # Chinese text is hard to read at Windows' default 9 pt


def named(widget: W, object_name: str, accessible_name: str, *, tip: str = "") -> W:
    """Give an interactive widget its objectName (tests, automation) and Chinese accessibleName."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if tip:
        widget.setToolTip(tip)
    if isinstance(widget, QTableView):  # its header views are interactive too (sorting, resizing)
        for header, suffix, label in ((widget.horizontalHeader(), "Header", "列标题"),
                                      (widget.verticalHeader(), "Rows", "行号")):
            if not header.objectName():
                header.setObjectName(object_name + suffix)
            if not header.accessibleName():
                header.setAccessibleName(f"{accessible_name}{label}")
    return widget


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A form label bound to its field (Alt+mnemonic moves the focus there, screen readers pair them)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def text_label(text: str = "", name: str = "", *, wrap: bool = True, rich: bool = False,
               selectable: bool = False, style: str = "", hidden: bool = False) -> QLabel:
    """A text label (a status line, a heading, a note): word-wrapped unless ``wrap=False``."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if rich:
        widget.setTextFormat(Qt.TextFormat.RichText)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        widget.setStyleSheet(style)
    if hidden:
        widget.setVisible(False)
    return widget


def button(text: str, name: str, accessible: str = "", slot: Callable[..., Any] | None = None, *,
           tip: str = "") -> QPushButton:
    """A named push button (accessible name: ``accessible`` or its text without the mnemonic) calling ``slot``."""
    widget = named(QPushButton(text), name, accessible or text.replace("&", "").split("(")[0], tip=tip)
    if slot is not None:
        widget.clicked.connect(slot)
    return widget


def single_shot(parent: QWidget, interval_ms: int, slot: Callable[[], Any]) -> QTimer:
    """A one-shot timer calling ``slot``; every ``start()`` restarts it (autosave, search-as-you-type)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def combo(name: str, accessible: str, items: Iterable[tuple[str, Any]] = (), *, tip: str = "") -> QComboBox:
    """A named combo box filled with ``(text, data)`` items."""
    widget = named(QComboBox(), name, accessible, tip=tip)
    for text, data in items:
        widget.addItem(text, data)
    return widget


def apply_ui_font(app: QApplication, families: Iterable[str], point_size: int = UI_POINT_SIZE) -> str | None:
    """Set the application font explicitly, so Chinese never falls back to a font without the glyphs.

    The chosen family comes first; the other installed candidates follow as fallbacks for rare
    characters (生僻字) the first one lacks. Returns the chosen family (None: none installed).
    """
    wanted = list(families)
    installed = set(QFontDatabase.families())
    present = [f for f in wanted if f in installed]
    font = QFont(app.font())
    if present:
        font.setFamilies(present)
    font.setPointSize(point_size)
    app.setFont(font)
    return present[0] if present else None


_translators: list[QTranslator] = []


def install_chinese(app: QApplication) -> bool:
    """Chinese for Qt's own strings (context menus, 是/否 buttons, calendar) and a zh_CN locale."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ok = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, path):
            app.installTranslator(tr)
            _translators.append(tr)
            ok = True
    return ok


def message_box(parent: QWidget | None, title: str, text: str, *,
                icon: QMessageBox.Icon = QMessageBox.Icon.Warning, detail: str = "") -> QMessageBox:
    """A non-blocking message box (``open()``): the caller's code and the event loop keep running."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("messageBox")
    ok = box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    ok.setObjectName("messageBoxOk")
    ok.setAccessibleName("确定")
    box.setDefaultButton(ok)
    if detail:
        box.setDetailedText(detail)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
    box.open()
    return box


def show_known_error(parent: QWidget | None, exc: KnownError) -> QDialog:
    """A calm message for an expected problem (locked database, bad input, no permission …); another desk's
    newer change (an edit conflict) gets the conflict dialog with both versions of the free text."""
    from baihe_desk.ui.common.conflict import is_edit_conflict, show_conflict

    if is_edit_conflict(exc):
        return show_conflict(parent, exc)
    return message_box(parent, exc.title, exc.message)


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, default_yes: bool = True) -> bool:
    """A blocking 是/否 question (only used where the flow must wait, e.g. at start-up)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton("是", QMessageBox.ButtonRole.YesRole)
    no = box.addButton("否", QMessageBox.ButtonRole.NoRole)
    yes.setObjectName("answerYes")
    yes.setAccessibleName("是")
    no.setObjectName("answerNo")
    no.setAccessibleName("否")
    box.setDefaultButton(yes if default_yes else no)
    box.setEscapeButton(no)
    before = QApplication.focusWidget()
    box.exec()
    if before is not None and before.isVisible():  # the keyboard goes back where it was
        before.activateWindow()
        before.setFocus(Qt.FocusReason.OtherFocusReason)
    return box.clickedButton() is yes
