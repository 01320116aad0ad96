"""判后答疑 page: pick a case (案号/收件号, or from 待我答疑), then four tabs —
裁判与上诉期 (the judgment, service dates and each party's appeal countdown), 答疑申请与记录 (requests,
the tier form for the assigned person, escalation, the 笔录), 信访风险 (flag + 领导包案) and 统计.

All database work runs in the background helper; every write reloads the case so every tab shows
the stored state. ``today`` and ``exec_dialog`` are seams for tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError, ValidationErrors
from baihe_desk.models import User
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.case_picker import CaseField
from baihe_desk.ui.common.conflict import is_edit_conflict
from baihe_desk.ui.common.forms import enter_advances_under
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.qt import QListWidget, QListWidgetItem, Qt, QtWidgets, QWidget, Signal
from baihe_desk.ui.common.widgets import buddy_label, button, message_box, named, show_known_error, text_label
from baihe_desk.ui.explanation.data import CaseView, TodoItem, find_case_id, load_case, load_todo


class ExplanationPage(QWidget):
    """The 判后答疑 page. ``ExplanationPage(db, paths, user)``; ``open_case(case_id)`` shows a case."""

    loaded = Signal()  # a case (or the to-do list) finished loading
    written = Signal(str)  # a write finished (its status text)

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("explanationPage")
        self.db, self.paths, self.user = db, paths, user
        self.today = ex.today
        self.exec_dialog: Callable[[Any], Any] = lambda dialog: dialog.exec()
        self.case_id: uuid.UUID | None = None
        self.view: CaseView | None = None
        self.busy = 0
        self._pristine: Any = None

        from baihe_desk.ui.explanation.judgment import JudgmentPanel
        from baihe_desk.ui.explanation.requests import RequestsPanel
        from baihe_desk.ui.explanation.risk import RiskPanel
        from baihe_desk.ui.explanation.stats import StatsPanel

        self.case_ref = CaseField(db, "caseRef", "案号或收件号")  # the one case picker (Ctrl+K opens it too)
        self.case_ref.case_chosen.connect(self.open_case)
        self.open_button = button("打开案件", "openCase", "打开案件", self.open_ref)
        self.case_title = text_label("请先打开一个案件。", "caseTitle", wrap=False, style="font-weight: bold;")
        self.case_ref.returnPressed.connect(self.open_ref)

        self.todo = named(QListWidget(), "explanationTodo", "待我答疑",
                          tip="指定由我主持、尚未记录的答疑；回车或双击打开")
        self.todo.setMaximumHeight(64)
        self.todo.itemActivated.connect(self._todo_activated)

        self.judgment = JudgmentPanel(self)
        self.requests = RequestsPanel(self)
        self.risk = RiskPanel(self)
        self.stats = StatsPanel(self)
        for panel in (self.judgment, self.requests, self.risk):
            enter_advances_under(panel)  # Enter moves on, as Tab does
        self.tabs = named(QtWidgets.QTabWidget(), "explanationTabs", "判后答疑分页")
        self.tabs.addTab(self.judgment, "裁判与上诉期(&J)")
        self.tabs.addTab(self.requests, "答疑申请与记录(&Q)")
        self.tabs.addTab(self.risk, "信访风险(&R)")
        self.tabs.addTab(self.stats, "统计(&T)")
        self.status = text_label(name="explanationStatus")
        top = hbox(buddy_label("案号/收件号(&N)：", self.case_ref), (self.case_ref, 2), self.open_button,
                   (self.case_title, 3))
        vbox(top, buddy_label("待我答疑(&D)：", self.todo), self.todo, (self.tabs, 1), self.status, parent=self)
        self.set_view(None)
        self.load_todo()

    # -- loading ------------------------------------------------------------------------------------
    def open_ref(self) -> None:
        ref = self.case_ref.text().strip()
        if not ref:
            return

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return find_case_id(session, ref)

        self._run(work, write=False, on_success=self.open_case)

    def open_case(self, case_id: uuid.UUID, *, request_id: uuid.UUID | None = None) -> None:
        if case_id != self.case_id:  # nothing typed for the previous case stays (ui/common/inputs.py)
            from baihe_desk.ui.common.inputs import InputSnapshot

            if self.case_id is None and self._pristine is None:
                self._pristine = InputSnapshot(self.judgment, self.requests, self.risk)
            elif self._pristine is not None:
                self._pristine.restore()
            self.status.clear()
        self.case_id = case_id
        self.reload(select_request=request_id)

    def reload(self, *, select_request: uuid.UUID | None = None) -> None:
        if self.case_id is None:
            return
        case_id, on, paths = self.case_id, self.today(), self.paths

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return load_case(session, case_id, on, paths)

        def done(view: CaseView) -> None:
            self.set_view(view, select_request=select_request)
            self.loaded.emit()

        self._run(work, write=False, on_success=done)

    def load_todo(self) -> None:
        user_id = self.user.id

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return load_todo(session, user_id)

        def done(items: list[TodoItem]) -> None:
            self.todo.clear()
            for item in items:
                row = QListWidgetItem(item.text)
                row.setData(Qt.ItemDataRole.UserRole, (item.case_id, item.request_id))
                self.todo.addItem(row)
            if not items:
                self.todo.addItem(QListWidgetItem("（没有待我主持的答疑）"))

        self._run(work, write=False, on_success=done)

    def _todo_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.tabs.setCurrentWidget(self.requests)
            self.open_case(data[0], request_id=data[1])

    def set_view(self, view: CaseView | None, *, select_request: uuid.UUID | None = None) -> None:
        self.view = view
        if view is not None:
            who = f"承办法官：{view.judge or '未指定'}" + (f"（{view.division}）" if view.division else "")
            self.case_title.setText(f"{view.title}　{who}")
        self.judgment.set_view(view)
        self.requests.set_view(view, select_request=select_request)
        self.risk.set_view(view)

    # -- running work ---------------------------------------------------------------------------------
    def _run(self, fn, *, write: bool, on_success, progress: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.busy += 1

        def finished() -> None:
            self.busy -= 1

        run_in_background(fn, parent=self, db=self.db, write=write, on_success=on_success,
                          on_failure=self.show_error, on_finally=finished, progress=progress)

    def run_read(self, fn: Callable[..., Any], on_success: Callable[[Any], None]) -> None:
        """Run ``fn(session, ctx)`` in a read-only session in the background; ``on_success`` gets its result."""
        self._run(fn, write=False, on_success=on_success)

    def run_write(self, fn: Callable[..., Any], done_text: str, *, progress: str | None = None,
                  after: Callable[[Any], None] | None = None) -> None:
        """Run ``fn(session)`` in a write transaction; then show ``done_text`` and reload the case."""
        actor = self.user

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return fn(session, actor)

        def done(result: Any) -> None:
            self.status.setText(done_text)
            if after is not None:
                after(result)
            self.reload()
            self.load_todo()
            if self.stats.result is not None:
                self.stats.refresh()
            self.written.emit(done_text)

        self.status.setText("正在保存…")
        self._run(work, write=True, on_success=done, progress=progress)

    def show_error(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            return
        if is_edit_conflict(exc):  # recorded at another desk: both texts in the dialog, then what is saved
            self.status.setText("未保存：该记录已在其他工作台修改，已重新载入")
            show_known_error(self, exc)
            self.reload()
            return
        text = exc.message
        if isinstance(exc, ValidationErrors):
            text = "\n".join(e.message for e in exc.errors)
        self.status.setText(text.replace("\n", "；"))
        message_box(self, exc.title, text)
