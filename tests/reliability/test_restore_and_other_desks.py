"""Issue 17, restore and other desks: a restore refuses while another desk (a real second process) has
the database open and names it; a desk whose file was replaced under it stops at once with a message
instead of saving into the orphaned old file."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import DatabaseError, KnownError
from baihe_desk.models import Case, Role
from baihe_desk.services.admin.backups import restore_database
from baihe_desk.storage import presence
from baihe_desk.storage.backup import backup_database
from baihe_desk.storage.startup import open_database
from tests.fake_today import children_on_this_clock
from tests.reliability.factories import make_case


def _other_desk(root: str, ready, stop) -> None:  # a second desk process: open, announce, wait
    db = open_database(Paths(__import__("pathlib").Path(root)), LocalSettings(), backup=False)
    p = presence.Presence(db.sqlite_path, "法官 另一台").start()
    ready.set()
    stop.wait(60)
    p.stop()
    db.dispose()


def test_restore_refuses_while_another_desk_is_open_and_names_it(db, paths, users):
    make_case(db, users[Role.FILING_CLERK], 1)
    good = backup_database(db, paths, reason="manual")
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_other_desk, args=(str(paths.root), ready, stop))
    with children_on_this_clock():
        proc.start()
    try:
        assert ready.wait(60)
        with pytest.raises(KnownError) as info:
            restore_database(paths, good, actor=users[Role.ADMIN], db=db)
        assert "另有工作台正在使用" in info.value.message and "法官 另一台" in info.value.message
        assert f"进程 {proc.pid}" in info.value.message
        assert not list(paths.backups.glob("*before-restore*"))  # nothing was touched
    finally:
        stop.set()
        proc.join(30)
    restore_database(paths, good, actor=users[Role.ADMIN], db=db)  # the other desk closed: now it may


def test_a_dead_desk_does_not_block_a_restore_for_ever(db, paths, users):
    folder = presence.desks_folder(paths.database)
    folder.mkdir(exist_ok=True)
    (folder / "elsewhere-999999.json").write_text(json.dumps(
        {"host": "elsewhere", "pid": 999999, "who": "已崩溃的工作台", "beat": time.time()}), encoding="utf-8")
    assert [d["who"] for d in presence.other_desks(paths.database)] == ["已崩溃的工作台"]
    assert presence.other_desks(paths.database, now=time.time() + presence.STALE_S + 1) == []


def test_a_desk_whose_file_was_replaced_stops_saving(db, paths, users, tmp_path):
    clerk = users[Role.FILING_CLERK]
    make_case(db, clerk, 1)
    good = backup_database(db, paths, reason="manual")
    make_case(db, clerk, 2)  # saved after the backup: kept in the before-restore copy
    # another desk (no presence file: an older version, or a crashed heartbeat) restores the backup
    other = open_database(paths, LocalSettings(), backup=False)
    restore_database(paths, good, actor=users[Role.ADMIN], db=other)
    with pytest.raises(DatabaseError, match="已被替换"):
        make_case(db, clerk, 3)
    with pytest.raises(DatabaseError, match="已停止保存"):
        with db.session() as s:
            s.scalar(select(func.count()).select_from(Case))
    fresh = open_database(paths, LocalSettings(), backup=False)
    with fresh.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1  # the backup's one case, nothing orphaned
    fresh.dispose()
