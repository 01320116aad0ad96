"""我的待办 — the user's queue: overdue first, then by due date; each entry opens its case at the right step.

``open_requested(case_id, step)`` is emitted on Enter / double click / 打开案件 (the main window opens the
case at that step; the step keys are ``services.deadlines.queues.STEP_LABELS``). The selected entry's days left,
how its date was counted and its legal basis show below the table. A trial-limit entry can have an
approved extension or a period not counted recorded (登记延长/扣除审限…). F5 refreshes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.deadlines import clocks, queues
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.law_panel import connect_links, install_f1
from baihe_desk.ui.common.layout import STRETCH, hbox, shortcut, vbox
from baihe_desk.ui.common.list_detail import column_widths, rows_table
from baihe_desk.ui.common.qt import (
    QKeyEvent,
    QKeySequence,
    QModelIndex,
    Qt,
    QTableView,
    QTextBrowser,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import button, combo, named, text_label
from baihe_desk.ui.deadlines.queue_model import (
    COL_DETAIL,
    COL_LABEL,
    COL_PARTIES,
    QueueTableModel,
    entry_html,
)

FILTERS = (("all", "全部待办"), ("overdue", "已超期"), ("near", "临期"), ("mine", "我办理的"), ("waiting", "等待他人"))


class QueueTable(QTableView):
    """Whole-row selection; Enter opens the selected entry."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


def make_table(model: QueueTableModel, name: str, label: str) -> QueueTable:
    table = rows_table(model, name, label, view=QueueTable(), alternating=True, wrap=False, tab_keys=False)
    column_widths(table, {COL_LABEL: "执行咨询回复期限（（2026）吉7502执咨1号）", COL_PARTIES: "王堃、李喆玥 诉 刘䶮"}, pad=0)
    column_widths(table, {COL_DETAIL: "七日立案期限至 2026-12-31，剩余 3 日"}, pad=12)
    return table


class DeadlinePage(QWidget):
    """What the 工作台 and 我的待办 share: ``open_requested(case_id, step)`` and ``loaded()``; ``refresh()``
    (F5) runs ``QUERY(session, user, progress=…)`` in the background, one at a time (the refresh button
    is off meanwhile), and hands its result to ``show_loaded``."""

    open_requested = Signal(object, str)  # case id, step key
    loaded = Signal()
    QUERY: Callable[..., Any]
    PROGRESS = ""

    def __init__(self, db: Database, paths: Paths, user: User, name: str, refresh: tuple[str, str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName(name)
        clocks.providers()  # import every workflow's models here, before any worker thread queries
        self.loading = False
        self.refresh_button = button("刷新(F5)", *refresh, self.refresh)
        shortcut(self, QKeySequence.StandardKey.Refresh, self.refresh)

    def show_loaded(self, result: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        query, user = type(self).QUERY, self.user

        def work(session, ctx):  # type: ignore[no-untyped-def]
            return query(session, user, progress=lambda d, t, label: ctx.progress(d, t, label))

        def done(result: Any) -> None:
            self.show_loaded(result)
            self.loaded.emit()

        run_in_background(work, parent=self, db=self.db, on_success=done, on_finally=self._done, progress=self.PROGRESS)

    def _done(self) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)

    def open_entry(self, model: QueueTableModel, index: QModelIndex) -> None:
        """Ask for the case of the entry at ``index`` to be opened at its step."""
        e = model.entry(index.row())
        if e is not None:
            self.open_requested.emit(e.case_id, e.step)


class QueuePage(DeadlinePage):
    """我的待办. ``QueuePage(db, paths, user)``; ``user`` is detached from sessions."""

    QUERY = staticmethod(queues.my_queue)
    PROGRESS = "正在汇总待办事项…"

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "queuePage", ("queueRefresh", "刷新待办"), parent)
        self.all_entries: list[queues.QueueEntry] = []
        self.summary = text_label("正在加载…", "queueSummary", wrap=False)
        self.filter = combo("queueFilter", "筛选待办", [(text, key) for key, text in FILTERS])
        self.model = QueueTableModel(self)
        self.table = make_table(self.model, "queueTable", "我的待办")
        self.detail = named(QTextBrowser(), "queueDetail", "所选事项的期限、计算过程和法律依据")
        self.detail.setMaximumHeight(230)
        self.open_button = button("打开案件(&O)", "queueOpen", "在相应办理环节打开所选案件", self.open_current,
                                  tip="Enter 或双击也可打开")
        self.limit_button = button("登记延长/扣除审限(&L)…", "queueTrialLimit", "登记延长审限或扣除审限",
                                   self.edit_trial_limit)
        self.limit_button.setVisible(allowed(user, Perm.TRIAL_LIMIT_RECORD))
        title = text_label("我的待办", "queueTitle", wrap=False, style="font-size: 15pt; font-weight: bold;")
        vbox(hbox(title, (self.summary, 1), self.filter, self.refresh_button), (self.table, 1),
             hbox(self.open_button, self.limit_button, STRETCH), self.detail, parent=self)
        self.setFocusProxy(self.table)
        connect_links(self.detail)  # the legal basis opens the law panel; F1 opens the current clock's article
        install_f1(self, lambda: [*e.clock.basis, *e.clock.steps] if (e := self.current_entry()) else [], "民事诉讼法")

        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        self._update_buttons()
        self.refresh()

    # -- loading ----------------------------------------------------------------------------------
    def show_loaded(self, entries: list[queues.QueueEntry]) -> None:
        self.all_entries = entries
        overdue = sum(e.urgency == "overdue" for e in entries)
        near = sum(e.urgency == "near" for e in entries)
        text = f"共 {len(entries)} 项，已超期 {overdue} 项，临期 {near} 项"
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        self._apply_filter()

    def _apply_filter(self) -> None:
        key = self.filter.currentData()
        entries = self.all_entries
        if key in ("overdue", "near"):
            entries = [e for e in entries if e.urgency == key]
        elif key == "mine":
            entries = [e for e in entries if e.relation in ("mine", "team")]
        elif key == "waiting":
            entries = [e for e in entries if e.relation == "waiting"]
        self.model.set_entries(entries)
        if entries:
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self.detail.setHtml("<p>没有待办事项。</p>" if not self.all_entries else "<p>没有符合筛选条件的事项。</p>")
        self._update_buttons()

    # -- selection and opening --------------------------------------------------------------------
    def current_entry(self) -> queues.QueueEntry | None:
        return self.model.entry(self.table.currentIndex().row())

    def _show_detail(self, row: int) -> None:
        e = self.model.entry(row)
        if e is not None:
            self.detail.setHtml(entry_html(e))
        self._update_buttons()

    def _update_buttons(self) -> None:
        e = self.current_entry()
        self.open_button.setEnabled(e is not None)
        self.limit_button.setEnabled(e is not None and e.clock.kind == "trial_limit" and e.due is not None)

    def _open_index(self, index: QModelIndex) -> None:
        self.open_entry(self.model, index)

    def open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def edit_trial_limit(self) -> None:
        e = self.current_entry()
        if e is None or e.clock.kind != "trial_limit":
            return
        from baihe_desk.ui.deadlines.trial_limit import TrialLimitDialog

        dialog = TrialLimitDialog(self.db, self.user, e.case_id, e.case_ref, self)
        dialog.changed.connect(self.refresh)
        dialog.open()

    def select_case(self, case_id: uuid.UUID) -> bool:
        """Select the first entry of ``case_id`` (for tests and for returning from a case)."""
        for row, e in enumerate(self.model.entries):
            if e.case_id == case_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False
