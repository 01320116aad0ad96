"""Desks announce themselves (issue 17: a restore while another desk had the file open left that desk
"saving" into the orphaned old file; cases numbered after the restore vanished and their numbers were
issued again).

- **Presence**: every open desk keeps ``<database>.desks/<host>-<pid>.json`` (who, where, since when)
  and rewrites it every ``HEARTBEAT_S`` seconds; ``other_desks`` lists the fresh ones of other
  processes, and a restore refuses while there is any, naming them. A desk that died leaves a stale
  file, ignored after ``STALE_S`` seconds.
- **Replaced file**: ``watch_file`` remembers the database file's identity when it is opened; before
  every transaction the file must still be that one, else the desk stops at once (every read and
  write refused with a message) instead of writing into a file that is no longer the database.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from baihe_desk.errors import DatabaseError

HEARTBEAT_S = 20.0
STALE_S = 90.0


def desks_folder(database: Path) -> Path:
    return Path(database).with_name(Path(database).name + ".desks")


class Presence:
    """This desk's presence file, refreshed by a daemon thread until ``stop()``."""

    def __init__(self, database: Path, who: str = ""):
        self.database = Path(database)
        self.who = who
        self.file = desks_folder(database) / f"{socket.gethostname()}-{os.getpid()}.json"
        self.since = time.time()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-presence", daemon=True)

    def beat(self) -> None:
        from baihe_desk.storage.audit_key import private_write

        data = {"host": socket.gethostname(), "pid": os.getpid(), "who": self.who, "since": self.since,
                "beat": time.time()}
        try:
            private_write(self.file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError:  # a full disk: the restore then cannot see this desk; it is told so by the log
            pass

    def start(self) -> Presence:
        self.beat()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            self.beat()

    def stop(self) -> None:
        self._stop.set()
        self.file.unlink(missing_ok=True)


def other_desks(database: Path, *, now: float | None = None) -> list[dict[str, Any]]:
    """The desks (other processes) that have the database open now."""
    now = time.time() if now is None else now
    out: list[dict[str, Any]] = []
    folder = desks_folder(database)
    if not folder.is_dir():
        return out
    for f in folder.glob("*.json"):
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("pid") == os.getpid() and data.get("host") == socket.gethostname():
            continue
        if now - float(data.get("beat", 0)) <= STALE_S:
            out.append(data)
    return out


def describe(desks: list[dict[str, Any]]) -> str:
    return "、".join(f"{d.get('host', '?')}（{d.get('who') or '未登录'}，进程 {d.get('pid')}）" for d in desks)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def watch_file(engine: Any, database: Path) -> None:
    """Refuse every transaction once the file at ``database`` is no longer the one opened."""
    database = Path(database)
    opened = _identity(database)
    if opened is None:
        return

    @event.listens_for(engine, "begin")
    def _still_the_same_file(_conn: Any) -> None:
        now = _identity(database)
        if now != opened:
            raise DatabaseError("数据库文件已被替换（例如另一台工作台恢复了备份）或被移走。为免数据写入旧文件，"
                                "本工作台已停止保存。请关闭程序后重新打开。")
