"""Every focusable widget on every page, for every role, has a Chinese accessible name (Windows Narrator
and NVDA read these); a widget without one fails the test by its class, objectName and page."""

from __future__ import annotations

import re

import pytest

from baihe_desk.models import Role
from baihe_desk.ui.common.qt import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    Qt,
    QtWidgets,
    QWidget,
)
from tests.ui.helpers import every_page, main_window

CJK = re.compile(r"[\u3400-\u9fff]")


def internal(w: QWidget) -> bool:
    """Parts of a named widget, read through their owner: a combo's or spin box's editor, a tab widget's
    tab bar, an item view's headers and viewport, a scroll area's bars, a calendar's own buttons."""
    parent = w.parentWidget()
    if isinstance(w, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox)):
        return True
    if isinstance(w, QtWidgets.QTabBar) and isinstance(parent, QtWidgets.QTabWidget):
        return True
    if isinstance(parent, QtWidgets.QAbstractScrollArea) and w is parent.viewport():
        return True  # read through its view (a chart, a table)
    p = w
    while p is not None:
        if isinstance(p, (QtWidgets.QCalendarWidget, QtWidgets.QScrollBar, QtWidgets.QHeaderView)):
            return True
        if isinstance(p, QComboBox) and p is not w:
            return True  # its drop-down list
        if p.objectName().startswith("qt_"):
            return True
        p = p.parentWidget()
    return False


@pytest.mark.parametrize("role", [Role.FILING_CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.MEDIATOR, Role.ADMIN,
                                  Role.DIVISION_CHIEF])
def test_every_focusable_widget_on_every_page_has_a_chinese_name(qtbot, db, users, paths, role):
    win = main_window(qtbot, db, users[role], paths)
    missing = []
    for name, page in every_page(win):
        for w in page.findChildren(QWidget):
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and not internal(w):
                label = w.accessibleName()
                if not CJK.search(label):
                    missing.append(f"{name}: {type(w).__name__} {w.objectName()!r} {label!r}")
    assert missing == [], "\n".join(missing)
