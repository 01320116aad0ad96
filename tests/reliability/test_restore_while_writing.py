"""Issue 17, done-when: a restore while a second desk process is saving. Every save the second desk
acknowledged survives — in the restored database or in the 恢复前 copy the restore keeps — or was refused
with a message; once its file is replaced the second desk saves nothing more (every further save refused).
With its presence announced, the restore refuses instead and every save stays in the live database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from baihe_desk.errors import KnownError
from baihe_desk.models import Role
from baihe_desk.services.admin.backups import restore_database
from baihe_desk.storage.backup import backup_database
from tests.fake_today import child_env
from tests.reliability.factories import make_case

ROOT = Path(__file__).resolve().parents[2]


class Writer:
    def __init__(self, paths, username: str, mode: str):  # type: ignore[no-untyped-def]
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.restore_writer", str(paths.root), username, mode],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, test, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while not test(list(self.lines)):
            assert self.proc.poll() is None or test(list(self.lines)), self.proc.stderr.read()  # type: ignore[union-attr]
            assert time.monotonic() < end, f"writer: {self.lines[-5:]}"
            time.sleep(0.02)

    def acks(self) -> list[str]:
        return [line.split(" ", 1)[1] for line in self.lines if line.startswith("ACK ")]

    def finish(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(60)
        assert self.proc.returncode == 0, self.proc.stderr.read()  # type: ignore[union-attr]


def _case_ids(path: Path) -> set[str]:
    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return {str(uuid.UUID(hex=r[0])) for r in con.execute('SELECT id FROM "case"')}
    finally:
        con.close()


@pytest.mark.parametrize("attempt", range(3))
def test_every_acknowledged_save_survives_a_restore_or_was_refused(db, paths, users, attempt):
    clerk, admin = users[Role.FILING_CLERK], users[Role.ADMIN]
    make_case(db, clerk, 1)
    good = backup_database(db, paths, reason="manual")
    writer = Writer(paths, clerk.username, "silent")
    try:
        writer.wait_for(lambda lines: len([x for x in lines if x.startswith("ACK")]) >= 5 + 3 * attempt)
        started = len(writer.acks())
        result = restore_database(paths, good, actor=admin, db=db)
        during = len(writer.acks()) - started
        writer.wait_for(lambda lines: "DONE" in lines)
    finally:
        if writer.proc.poll() is None:
            writer.finish()
    lines = writer.lines
    first_refusal = next(i for i, line in enumerate(lines) if line.startswith("REFUSED"))
    assert all(not line.startswith("ACK") for line in lines[first_refusal:]), lines[first_refusal:]  # it stopped
    assert "已被替换" in lines[first_refusal] or "已停止保存" in lines[first_refusal], lines[first_refusal]
    assert result.safety_copy is not None
    kept = _case_ids(result.safety_copy) | _case_ids(paths.database)
    lost = [a for a in writer.acks() if a not in kept]
    assert not lost, f"{len(lost)} acknowledged saves lost ({during} acknowledged during the restore)"
    assert _case_ids(paths.database) == _case_ids(good)  # the restored database is the backup's


def test_an_announced_desk_blocks_the_restore_and_keeps_every_save(db, paths, users):
    clerk, admin = users[Role.FILING_CLERK], users[Role.ADMIN]
    make_case(db, clerk, 1)
    good = backup_database(db, paths, reason="manual")
    writer = Writer(paths, clerk.username, "presence")
    try:
        writer.wait_for(lambda lines: len([x for x in lines if x.startswith("ACK")]) >= 5)
        with pytest.raises(KnownError, match="另有工作台正在使用.*第二台工作台"):
            restore_database(paths, good, actor=admin, db=db)
        writer.wait_for(lambda lines: len([x for x in lines if x.startswith("ACK")]) >= 10)
    finally:
        writer.finish()
    assert not any(line.startswith("REFUSED") for line in writer.lines)
    assert set(writer.acks()) <= _case_ids(paths.database)


def test_a_save_that_holds_the_lock_makes_the_restore_refuse_untouched(db, paths, users, monkeypatch):
    from baihe_desk.storage import backup as backup_module

    monkeypatch.setattr(backup_module, "LOCK_WAIT_S", 0.3)
    make_case(db, users[Role.FILING_CLERK], 1)
    good = backup_database(db, paths, reason="manual")
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another desk in the middle of a long save
    try:
        with pytest.raises(KnownError, match="占用"):  # the desk's own audit record waits, then gives up
            restore_database(paths, good, actor=users[Role.ADMIN], db=db)
        with pytest.raises(KnownError, match="暂时被占用"):  # the file swap waits for the lock, then gives up
            restore_database(paths, good, actor=users[Role.ADMIN])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not list(paths.backups.glob("*before-restore*")) and not list(paths.root.glob("*.restoring"))
    assert restore_database(paths, good, actor=users[Role.ADMIN], db=db).safety_copy is not None
