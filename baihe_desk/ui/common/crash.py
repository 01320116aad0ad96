"""崩溃处理 — an unexpected error (a bug) is logged, drafts are saved, and the clerk sees a calm dialog.

``CrashHandler.install()`` replaces ``sys.excepthook`` and ``threading.excepthook``. Before anything
is shown, every registered *draft saver* (``drafts.register(name, fn)``) writes what its form holds
(e.g. the intake form → ``drafts/intake-draft.json``), so nothing typed is lost even if the clerk
then quits. A ``KnownError`` that escapes to the top is not a bug: it gets the calm message only.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from baihe_desk import APP_TITLE, __version__
from baihe_desk.config import Paths
from baihe_desk.errors import KnownError

log = logging.getLogger(__name__)


class DraftRegistry:
    """Forms that can save what the user is typing (草稿), asked before a crash dialog appears."""

    def __init__(self) -> None:
        self._savers: dict[str, Callable[[], Path | None]] = {}

    def register(self, name: str, saver: Callable[[], Path | None]) -> None:
        self._savers[name] = saver

    def unregister(self, name: str, saver: Callable[[], Path | None] | None = None) -> None:
        if saver is None or self._savers.get(name) == saver:  # == : bound methods are new objects
            self._savers.pop(name, None)

    def names(self) -> list[str]:
        return list(self._savers)

    def save_all(self) -> list[Path]:
        """Call every saver; one failing saver does not stop the others. Returns the files written."""
        saved: list[Path] = []
        for name, saver in list(self._savers.items()):
            try:
                path = saver()
            except Exception:  # noqa: BLE001 - a broken saver must not hide the original crash
                log.exception("draft saver %s failed", name)
                continue
            if path is not None:
                saved.append(path)
        return saved


drafts = DraftRegistry()


def format_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                  *, thread: str = "") -> str:
    from baihe_desk.ui.common.qt import QT_VERSION

    lines = [
        f"{APP_TITLE} {__version__}",
        f"时间: {datetime.now().isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} / Qt {QT_VERSION} / {platform.platform()}",
    ]
    if thread:
        lines.append(f"线程: {thread}")
    lines.append("")
    lines.extend(traceback.format_exception(exc_type, exc, tb))
    from baihe_desk.services.common.masking import mask_text

    # a database error quotes the row it failed on: no ID or phone number in a report sent to IT
    return mask_text("\n".join(line.rstrip("\n") for line in lines) + "\n")


def write_log(paths: Paths, report: str) -> Path:
    paths.logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = paths.logs / f"crash-{stamp}.log"
    path.write_text(report, encoding="utf-8")
    return path


class CrashHandler:
    """The excepthooks of the GUI. ``show_dialog=False`` only logs (used by tests)."""

    def __init__(self, paths: Paths, *, show_dialog: bool = True, registry: DraftRegistry = drafts):
        self.paths = paths
        self.show_dialog = show_dialog
        self.registry = registry
        self.last_log: Path | None = None
        self.last_drafts: list[Path] = []
        self._showing = False
        self._old_hooks: tuple | None = None

    def install(self) -> None:
        from baihe_desk.ui.common import background

        background.ensure_dispatcher()  # reports from other threads are queued to the UI thread
        self._old_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._old_hooks is not None:
            sys.excepthook, threading.excepthook = self._old_hooks
            self._old_hooks = None

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        self.handle(args.exc_type, exc, args.exc_traceback, args.thread.name if args.thread else "")

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
               thread: str = "") -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if threading.current_thread() is not threading.main_thread():
            from baihe_desk.ui.common import background

            name = thread or threading.current_thread().name
            background.to_main(lambda: self.handle(exc_type, exc, tb, name))
            return
        if isinstance(exc, KnownError):
            log.info("known error reached the top: %s", exc)
            if self.show_dialog:
                from baihe_desk.ui.common.widgets import show_known_error

                show_known_error(None, exc)
            return
        self.last_drafts = self.registry.save_all()
        report = format_report(exc_type, exc, tb, thread=thread)
        try:
            self.last_log = write_log(self.paths, report)
        except OSError:
            self.last_log = None
        sys.stderr.write(report)
        if not self.show_dialog or self._showing:
            return
        self._showing = True
        try:
            from baihe_desk.ui.common.crash_dialog import CrashDialog

            CrashDialog(report, self.last_log, self.last_drafts).exec()
        finally:
            self._showing = False
