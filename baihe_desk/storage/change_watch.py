"""另一台工作站改了数据 — noticing, cheaply and without Qt, that another desk committed a change.

The window asks :meth:`ChangeWatch.poll` about once a second and refreshes its lists when it says yes,
so a case referred, filed or answered at one desk shows in the other desks' queues within two seconds
without F5.

- SQLite (several desks on one PC, or one desk and the command line): ``PRAGMA data_version`` on a
  connection of its own changes whenever any other connection commits to the file.
- PostgreSQL: revision 0006 makes the server ``NOTIFY baihe_desk_changes`` after every statement that
  changes a case, a party, an address, a review, a mediation, a consultation or an explanation request;
  the watch LISTENs on a connection of its own and reads the notifications without waiting.

A watch that loses its connection (server restart, network) answers "changed" once and reconnects on
the next poll, so the desk refreshes rather than showing a stale list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHANNEL = "baihe_desk_changes"
WATCHED_TABLES = ("case", "party", "address", "complaint_review", "mediation_case", "enforcement_consultation",
                  "explanation_request")


class ChangeWatch:
    def __init__(self, url: str, sqlite_path: Path | None):
        self.url = url
        self.sqlite_path = sqlite_path
        self._conn: Any = None
        self._last: int | None = None

    @classmethod
    def for_database(cls, db: Any) -> ChangeWatch:
        """The watch for a :class:`baihe_desk.storage.db.Database`."""
        return cls(db.engine.url.render_as_string(hide_password=False), db.sqlite_path)

    def _connect(self) -> None:
        if self.sqlite_path is not None:
            from baihe_desk.storage.encrypted import raw_connect

            self._conn = raw_connect(Path(self.sqlite_path), read_only=True)
            self._last = self._conn.execute("PRAGMA data_version").fetchone()[0]
        else:
            import psycopg

            plain = self.url.replace("postgresql+psycopg://", "postgresql://", 1)
            self._conn = psycopg.connect(plain, autocommit=True)
            self._conn.execute(f"LISTEN {CHANNEL}")

    def poll(self) -> bool:
        """True when another connection committed a watched change since the last poll (never blocks)."""
        try:
            if self._conn is None:
                self._connect()
                return False
            if self.sqlite_path is not None:
                version = self._conn.execute("PRAGMA data_version").fetchone()[0]
                changed = version != self._last
                self._last = version
                return bool(changed)
            return any(True for _ in self._conn.notifies(timeout=0, stop_after=1000))
        except Exception:  # noqa: BLE001 - a lost connection: say "changed" once, reconnect next time
            self.close()
            return True

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
        self._conn = None
