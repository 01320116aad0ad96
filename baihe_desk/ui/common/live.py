"""其他工作站的改动 — the window follows changes made at other desks without F5.

A :class:`LiveChanges` polls :class:`baihe_desk.storage.change_watch.ChangeWatch` once a second on the UI
thread (a ``PRAGMA data_version`` read, or reading PostgreSQL notifications without waiting: well under a
millisecond) and emits ``changed``; the main window then asks the page on screen to ``live_refresh()``:
its list is read again in the background, the selected row stays selected and the detail pane is left as
it is, so nothing the clerk is typing is lost.
"""

from __future__ import annotations

from typing import Any, Protocol

from baihe_desk.storage.change_watch import ChangeWatch
from baihe_desk.ui.common.qt import QObject, QStackedWidget, QTimer, Signal

POLL_MS = 1000  # a change shows at another desk within about a second (target: 2 s)


class LiveChanges(QObject):
    changed = Signal()

    def __init__(self, watch: ChangeWatch, parent: QObject | None = None, *, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.watch = watch
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        watch.poll()  # connect now, so the first tick compares against the state at start

    def poll(self) -> None:
        if self.watch.poll():
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.close()


class LiveWindow(Protocol):
    """What :func:`follow_other_desks` needs of the main window."""

    db: Any
    stack: QStackedWidget
    case_list: Any
    case_list_visible: bool


def follow_other_desks(window: LiveWindow, *, interval_ms: int = POLL_MS) -> LiveChanges:
    """Start following other desks' changes for ``window``: on a change, the page on screen gets
    ``live_refresh()``. The case list follows too while it is on screen and scrolled to the top (where a
    new or changed case appears in the default order); deeper down it keeps its place until F5."""
    live = LiveChanges(ChangeWatch.for_database(window.db), window.stack, interval_ms=interval_ms)

    def refresh() -> None:
        page = window.stack.currentWidget()
        if page is window.case_list:
            if window.case_list_visible and window.case_list.table.verticalScrollBar().value() == 0:
                window.case_list.refresh()
            return
        follow = getattr(page, "live_refresh", None)
        if callable(follow):
            follow()

    live.changed.connect(refresh)
    return live
