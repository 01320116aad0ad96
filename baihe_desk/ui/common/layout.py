"""Layout builders — the rows, columns, forms, group boxes, scroll areas, splitters and dialog buttons
every page is made of, so a page says what it holds instead of how Qt adds it.

An *item* of a row or column is a widget, a layout, an ``int`` (a fixed gap in pixels), ``STRETCH``
(an expanding gap) or ``(item, stretch factor)``. A form *row* is ``(label text, field)`` — the label
is the field's buddy (Alt+mnemonic, screen readers) — or ``(label text, field, buddy)`` when the field
is a layout or a frame around the input, ``(label widget, field)``, ``("", field)`` for a row without
a label, or a lone widget or layout spanning the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from baihe_desk.ui.common.forms import FieldBox
from baihe_desk.ui.common.qt import (
    QBoxLayout,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLayout,
    QObject,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named


class _Stretch:
    def __repr__(self) -> str:
        return "STRETCH"


STRETCH: Any = _Stretch()  # an expanding gap in a row or column


def add_items(box: QBoxLayout, items: Iterable[Any]) -> QBoxLayout:
    """Add widgets, layouts, gaps and stretches (see the module docstring) to ``box``."""
    for item in items:
        factor = 0
        if isinstance(item, tuple):
            item, factor = item
        if item is STRETCH:
            box.addStretch(factor or 1)
        elif isinstance(item, int):
            box.addSpacing(item)
        elif isinstance(item, QLayout):
            box.addLayout(item, factor)
        else:
            box.addWidget(item, factor)
    return box


def _box(box: QBoxLayout, items: tuple[Any, ...], margins: int | None) -> QBoxLayout:
    if margins is not None:
        box.setContentsMargins(margins, margins, margins, margins)
    return add_items(box, items)


def hbox(*items: Any, margins: int | None = None, parent: QWidget | None = None) -> QHBoxLayout:
    """A row (on ``parent`` when given)."""
    return _box(QHBoxLayout(parent) if parent is not None else QHBoxLayout(), items, margins)  # type: ignore[return-value]


def vbox(*items: Any, margins: int | None = None, parent: QWidget | None = None) -> QVBoxLayout:
    """A column (on ``parent`` when given)."""
    return _box(QVBoxLayout(parent) if parent is not None else QVBoxLayout(), items, margins)  # type: ignore[return-value]


def pane(*items: Any, margins: int | None = 0, spacing: int | None = None, name: str = "") -> QWidget:
    """A widget holding a column of ``items`` (no margins: a side of a splitter, a tab)."""
    widget = QWidget()
    if name:
        widget.setObjectName(name)
    column = vbox(*items, margins=margins, parent=widget)
    if spacing is not None:
        column.setSpacing(spacing)
    return widget


def add_rows(form: QFormLayout, rows: Iterable[Any]) -> QFormLayout:
    """Add form rows (see the module docstring) to ``form``."""
    for row in rows:
        if not isinstance(row, tuple):
            form.addRow(row)
            continue
        text, field, *rest = row
        buddy = rest[0] if rest else field
        if isinstance(buddy, FieldBox):
            buddy = buddy.widget
        if isinstance(text, str) and text and isinstance(buddy, QWidget):
            form.addRow(buddy_label(text, buddy), field)
        else:
            form.addRow(text, field)
    return form


def form(*rows: Any, parent: QWidget | None = None) -> QFormLayout:
    """A form of ``rows`` (on ``parent`` when given)."""
    return add_rows(QFormLayout(parent) if parent is not None else QFormLayout(), rows)


def group(title: str, *items: Any, name: str = "", rows: Iterable[Any] = ()) -> QGroupBox:
    """A titled box: a column of ``items``, or a form of ``rows``."""
    box = QGroupBox(title)
    if name:
        box.setObjectName(name)
    if rows:
        form(*rows, parent=box)
    else:
        vbox(*items, parent=box)
    return box


class PageStack(QStackedWidget):
    """The main window's pages. No height-for-width: QStackedLayout answers with the tallest page's (hidden
    ones too), and a page's own answer is its *preferred* height (a wrapped label makes the whole page
    ask for it), so the scroll area around the pages would scroll a page that fits. The page's minimum
    size still holds; below it the page scrolls."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return -1


def fit_screen(pages: QStackedWidget) -> QScrollArea:
    """The main window's pages in a frameless scroll area that takes no Tab stop: on a small screen or at
    150 % scaling (a 1400×900 screen is 933×600 then) the window still fits the screen and a page too wide
    or tall scrolls, instead of the window growing past the screen's edge with buttons out of reach.

    Only the page shown counts for the size (the others' size policy is Ignored): a stack asks for the
    largest of all its pages, so one tall page would otherwise make every page scroll."""
    area = scroll_area(pages, "pagesArea", frame=False, accessible="工作区")
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def only_current(*_args: object) -> None:
        current = pages.currentWidget()
        for i in range(pages.count()):
            w = pages.widget(i)
            policy = QSizePolicy.Policy.Preferred if w is current else QSizePolicy.Policy.Ignored
            if w.sizePolicy().horizontalPolicy() is not policy:
                w.setSizePolicy(policy, policy)
        QCoreApplication.postEvent(area, QEvent(QEvent.Type.LayoutRequest))  # scroll bars for this page's size

    pages.currentChanged.connect(only_current)
    pages.installEventFilter(_ChildWatcher(pages, only_current))  # a page built later (lazily) counts out too
    only_current()
    return area


class _ChildWatcher(QObject):
    def __init__(self, parent: QObject, changed: Callable[[], None]):
        super().__init__(parent)
        self.changed = changed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ChildAdded:  # counted once the stack holds it
            QTimer.singleShot(0, self, self.changed)
        return False


def scroll_area(widget: QWidget, name: str = "", *, frame: bool = True, accessible: str = "") -> QScrollArea:
    """``widget`` in a scroll area that resizes it (a long form on a small screen). Its accessible name is
    ``accessible``, else the widget's, else 可滚动区域 (a screen reader announces the area it enters)."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setAccessibleName(accessible or widget.accessibleName() or "可滚动区域")
    area.setWidgetResizable(True)
    if not frame:
        area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def splitter(name: str, *widgets: QWidget, stretch: Iterable[int] = (), sizes: Iterable[int] = (),
             vertical: bool = False, parent: QWidget | None = None) -> QSplitter:
    """Side by side (or one above the other) with a handle between; ``stretch`` factors per widget."""
    split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal, parent)
    split.setObjectName(name)
    for w in widgets:
        split.addWidget(w)
    for i, factor in enumerate(stretch):
        if factor:
            split.setStretchFactor(i, factor)
    if sizes := list(sizes):
        split.setSizes(sizes)
    return split


def shortcut(widget: QWidget, key: QKeySequence | QKeySequence.StandardKey | str, slot: Callable[[], Any], *,
             local: bool = True) -> QShortcut:
    """A keyboard shortcut; ``local``: only while the focus is inside ``widget`` (a tab, a page)."""
    sc = QShortcut(QKeySequence(key), widget, slot)
    if local:
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return sc


def dialog_buttons(dialog: QDialog, accept: tuple[str, str, str] | None, reject: tuple[str, str, str], *,
                   on_accept: Callable[[], Any] | None = None) -> tuple[QDialogButtonBox, QPushButton | None, QPushButton]:
    """A dialog's button box: ``(text, objectName, accessibleName)`` for the accepting button (the default
    one; it calls ``on_accept``, else ``accept``) and for the one that closes or cancels (``reject``)."""
    box = QDialogButtonBox(dialog)
    ok = None
    if accept is not None:
        ok = named(box.addButton(accept[0], QDialogButtonBox.ButtonRole.AcceptRole), accept[1], accept[2])
        ok.setDefault(True)
        box.accepted.connect(on_accept or dialog.accept)
    cancel = named(box.addButton(reject[0], QDialogButtonBox.ButtonRole.RejectRole), reject[1], reject[2])
    box.rejected.connect(dialog.reject)
    return box, ok, cancel
