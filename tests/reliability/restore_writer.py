"""The second desk of test_restore_while_writing.py: a real process that opens the database as the desk
does (open_database: it watches its file), saves new cases in a loop and acknowledges every save on
stdout (``ACK <case id>``) only after its commit returned; a refused save prints ``REFUSED <message>``.
It stops after three refusals in a row, or when its stdin is closed (``stop`` variant).

``python -m tests.reliability.restore_writer DATA_DIR USERNAME presence|silent``: ``presence`` announces
itself like the desk (storage.presence), ``silent`` does not (an older version, or a lost heartbeat).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path


def main(root: str, username: str, mode: str) -> int:
    from sqlalchemy import select

    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.errors import KnownError
    from baihe_desk.models import User
    from baihe_desk.storage import presence
    from baihe_desk.storage.startup import open_database
    from tests.reliability.factories import make_case

    db = open_database(Paths(Path(root)), LocalSettings(), backup=False)
    announce = presence.Presence(db.sqlite_path, "第二台工作台").start() if mode == "presence" else None
    with db.session() as s:
        clerk = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(clerk)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    print("READY", flush=True)
    seed, refused = 50_000, 0
    while refused < 3 and not stop.is_set():
        seed += 1
        try:
            case_id = make_case(db, clerk, seed)
        except KnownError as exc:
            refused += 1
            print(f"REFUSED {exc.message}", flush=True)
            continue
        refused = 0
        print(f"ACK {case_id}", flush=True)
    if announce is not None:
        announce.stop()
    db.dispose()
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
