"""后台操作 — run database work off the UI thread (after Anki's ``CollectionOp``/``QueryOp``).

``run_in_background`` runs ``fn`` on a worker thread of one shared ``QThreadPool``. With ``db`` it
gets a fresh session (``write=True``: a write transaction, committed when ``fn`` returns) and the
:class:`OpContext`; without ``db`` only the context. ``on_success(result)`` and ``on_failure(exc)``
run on the UI thread. A ``KnownError`` goes to ``on_failure`` (default: a calm message box); any
other exception is a bug and always goes to ``sys.excepthook`` (the crash handler: log, dialog,
drafts saved). ``fn`` reports progress with
``ctx.progress(done, total, label)`` and polls ``ctx.cancelled`` / ``ctx.check()``; a cancelled
operation ends with ``on_cancel`` (no failure shown).

Callbacks of an operation whose ``parent`` (a widget or a model) has been deleted are dropped (bugs
are still reported), so a view may close while its query runs.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.ui.common.qt import (
    QObject,
    QProgressDialog,
    Qt,
    QThreadPool,
    QTimer,
    QWidget,
    Signal,
    is_alive,
)

PROGRESS_DELAY_MS = 400  # a progress dialog appears only for operations slower than this
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the UI thread


class OpCancelled(Exception):
    """Raised by :meth:`OpContext.check` when the user pressed 取消."""


class OpContext:
    """What the background function sees: progress reporting and the cancel flag."""

    def __init__(self, task: BackgroundTask):
        self._task = task
        self._cancel = threading.Event()
        self._last_progress = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Raise :class:`OpCancelled` if the user cancelled (call it between steps)."""
        if self._cancel.is_set():
            raise OpCancelled()

    def progress(self, done: int, total: int | None = None, label: str | None = None) -> None:
        """Report progress (``total=None``: unknown, a busy indicator). Cheap to call often."""
        now = time.monotonic()
        if total is not None and done < total and now - self._last_progress < PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        task = self._task
        to_main(lambda: task._show_progress(done, total, label))


class _Dispatcher(QObject):
    """Lives on the UI thread; runs callables queued by worker threads there.

    The callables travel through a ``queue.SimpleQueue``; the (argument-less) signal only wakes the
    UI thread. No Python object crosses threads inside a queued Qt signal.
    """

    wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], None]) -> None:
        self._queue.put(fn)
        self.wake.emit()

    def _drain(self) -> None:
        while True:
            try:
                fn = self._queue.get_nowait()
            except queue.Empty:
                return
            try:
                fn()
            except Exception:  # noqa: BLE001 - a failing callback must not hold up the others
                sys.excepthook(*sys.exc_info())


_dispatcher: _Dispatcher | None = None
_pool: QThreadPool | None = None
_running: set[BackgroundTask] = set()


def to_main(fn: Callable[[], None]) -> None:
    """Run ``fn`` on the UI thread (soon, from its event loop). Safe to call from any thread once
    :func:`ensure_dispatcher` has run on the UI thread."""
    assert _dispatcher is not None, "ensure_dispatcher() must run on the UI thread first"
    _dispatcher.post(fn)


def ensure_dispatcher() -> None:
    """Create the UI-thread dispatcher (call on the UI thread, before any worker starts)."""
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()


def thread_pool() -> QThreadPool:
    global _pool
    ensure_dispatcher()
    if _pool is None:
        _pool = QThreadPool()
        _pool.setObjectName("backgroundPool")
        _pool.setMaxThreadCount(4)
    return _pool


def running() -> int:
    """How many operations have not yet delivered their result."""
    return len(_running)


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Wait for all workers and deliver their results (application exit, test teardown)."""
    from baihe_desk.ui.common.qt import QCoreApplication

    deadline = time.monotonic() + timeout_ms / 1000
    while _running and time.monotonic() < deadline:
        if _pool is not None:
            _pool.waitForDone(50)
        QCoreApplication.processEvents()
    return not _running


@dataclass(eq=False)  # a task is itself (kept in the set of running tasks)
class BackgroundTask:
    """One running operation (returned by :func:`run_in_background`)."""

    fn: Callable[..., Any]
    parent: QObject | None
    db: Any
    write: bool
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException], None] | None
    on_cancel: Callable[[], None] | None
    on_finally: Callable[[], None] | None
    progress_label: str | None
    cancellable: bool
    done: bool = False
    dialog: QProgressDialog | None = None
    _timer: QTimer | None = None

    def __post_init__(self) -> None:
        self.ctx = OpContext(self)

    # -- worker thread ---------------------------------------------------------------------------
    def _work(self) -> None:
        try:
            if self.db is None:
                result = self.fn(self.ctx)
            else:
                scope = self.db.transaction() if self.write else self.db.session()
                with scope as session:
                    result = self.fn(session, self.ctx)
                    if self.write and self.ctx.cancelled:
                        raise OpCancelled()  # roll back: the user pressed 取消 before the commit
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the UI thread
            error = exc
            to_main(lambda: self._finish(error=error))
        else:
            to_main(lambda: self._finish(result=result))

    # -- UI thread --------------------------------------------------------------------------------
    def _owner_alive(self) -> bool:
        return self.parent is None or is_alive(self.parent)

    def _start_progress(self) -> None:
        if self.progress_label is None:
            return
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._open_dialog)
        self._timer.start(PROGRESS_DELAY_MS)

    def _open_dialog(self) -> None:
        if self.done or not self._owner_alive():
            return
        owner = self.parent if isinstance(self.parent, QWidget) else None
        dlg = QProgressDialog(owner)
        dlg.setObjectName("progressDialog")
        dlg.setAccessibleName("进度")
        dlg.setWindowTitle("请稍候")
        dlg.setLabelText(self.progress_label or "正在处理…")
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setRange(0, 0)
        if self.cancellable:
            dlg.setCancelButtonText("取消")
            dlg.canceled.connect(self.cancel)
        else:
            dlg.setCancelButton(None)
        dlg.setWindowModality(Qt.WindowModality.WindowModal if owner else Qt.WindowModality.ApplicationModal)
        dlg.show()
        self.dialog = dlg

    def _show_progress(self, done: int, total: int | None, label: str | None) -> None:
        dlg = self.dialog
        if self.done or dlg is None or not is_alive(dlg):
            if label:
                self.progress_label = label
            return
        if total:
            dlg.setRange(0, total)
            dlg.setValue(min(done, total))
        if label:
            dlg.setLabelText(label)

    def _close_dialog(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.dialog is not None and is_alive(self.dialog):
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = None

    def cancel(self) -> None:
        """Ask the operation to stop; it ends at its next ``ctx.check()``."""
        self.ctx.cancel()
        if self.dialog is not None and is_alive(self.dialog):
            self.dialog.setLabelText("正在取消…")

    def _finish(self, *, result: Any = None, error: BaseException | None = None) -> None:
        self.done = True
        _running.discard(self)
        self._close_dialog()
        alive = self._owner_alive()
        try:
            if error is None:
                if alive and self.on_success is not None:
                    self.on_success(result)
            elif isinstance(error, OpCancelled):
                if alive and self.on_cancel is not None:
                    self.on_cancel()
            elif isinstance(error, KnownError):
                if not alive:
                    pass
                elif self.on_failure is not None:
                    self.on_failure(error)
                else:
                    from baihe_desk.ui.common.widgets import show_known_error

                    show_known_error(self.parent if isinstance(self.parent, QWidget) else None, error)
            else:
                sys.excepthook(type(error), error, error.__traceback__)  # a bug: the crash handler
        finally:
            if alive and self.on_finally is not None:
                self.on_finally()


def run_in_background(
    fn: Callable[..., Any],
    *,
    parent: QObject | None = None,
    db: Any = None,
    write: bool = False,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    on_finally: Callable[[], None] | None = None,
    progress: str | None = None,
    cancellable: bool = False,
) -> BackgroundTask:
    """Run ``fn(session, ctx)`` (with ``db``) or ``fn(ctx)`` (without) on a worker thread.

    ``progress``: a label shows a progress dialog if the operation takes longer than
    ``PROGRESS_DELAY_MS``; ``cancellable`` adds a 取消 button that sets ``ctx.cancelled``.
``on_failure`` receives only ``KnownError``s; ``on_finally`` runs after any outcome (re-enable
buttons there).
    """
    pool = thread_pool()
    task = BackgroundTask(fn, parent=parent, db=db, write=write, on_success=on_success,
                          on_failure=on_failure, on_cancel=on_cancel, on_finally=on_finally, progress_label=progress,
                          cancellable=cancellable)
    _running.add(task)
    task._start_progress()
    pool.start(task._work)
    return task
