"""The background helper: success, calm failure, bugs to the excepthook, cancel, progress, sessions."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from baihe_desk.errors import KnownError
from baihe_desk.models import CourtProfile
from baihe_desk.ui.common import background
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import QPushButton, Qt, QWidget


def test_success_runs_on_worker_and_delivers_on_ui_thread(qtbot):
    seen = {}

    def work(ctx):
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 41 + 1

    def done(value):
        seen["ui"] = threading.current_thread() is threading.main_thread()
        seen["value"] = value

    run_in_background(work, on_success=done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen == {"worker": True, "ui": True, "value": 42}


def test_known_error_goes_to_on_failure_and_finally_runs(qtbot):
    out = []

    def work(ctx):
        raise KnownError("数据库正被其他操作占用，请稍后再试。")

    run_in_background(work, on_success=lambda v: out.append(("ok", v)),
                      on_failure=lambda e: out.append(("failed", e.message)),
                      on_finally=lambda: out.append(("finally", None)))
    qtbot.waitUntil(lambda: len(out) == 2)
    assert out == [("failed", "数据库正被其他操作占用，请稍后再试。"), ("finally", None)]


def test_known_error_without_handler_shows_a_calm_message(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def work(ctx):
        raise KnownError("磁盘空间已满，无法保存。")

    run_in_background(work, parent=parent)
    qtbot.waitUntil(lambda: parent.findChild(QWidget, "messageBox") is not None)
    box = parent.findChild(QWidget, "messageBox")
    assert "磁盘空间已满" in box.text()
    box.close()


def test_bug_goes_to_the_excepthook(qtbot, monkeypatch):
    caught = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: caught.append(e))
    failures = []

    def work(ctx):
        raise ZeroDivisionError("bug")

    run_in_background(work, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(caught))
    assert isinstance(caught[0], ZeroDivisionError)
    assert failures == []  # on_failure is for KnownError only


def test_cancel_flag_stops_the_work_and_calls_on_cancel(qtbot):
    started = threading.Event()
    steps = []
    result = []

    def work(ctx):
        started.set()
        for i in range(500):
            ctx.check()
            ctx.progress(i, 500, f"第 {i} 步")
            steps.append(i)
            time.sleep(0.005)
        return "finished"

    task = run_in_background(work, on_success=result.append, on_cancel=lambda: result.append("cancelled"))
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(result))
    assert result == ["cancelled"]
    assert len(steps) < 500


def test_progress_dialog_appears_for_slow_work_and_its_cancel_button_works(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    result = []

    def work(ctx):
        for i in range(400):
            ctx.check()
            ctx.progress(i, 400)
            time.sleep(0.01)
        return "finished"

    task = run_in_background(work, parent=parent, on_success=result.append, on_cancel=lambda: result.append("x"),
                             progress="正在导入…", cancellable=True)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    assert task.dialog.labelText() == "正在导入…"
    button = task.dialog.findChild(QPushButton)
    assert button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(result))
    assert result == ["x"]
    assert task.dialog is None


def test_write_session_commits_and_rolls_back(qtbot, db):
    done = []

    def add(session, ctx):
        session.add(CourtProfile(name="吉林省白河林区基层法院", code="吉7502"))
        return "ok"

    run_in_background(add, db=db, write=True, on_success=done.append)
    qtbot.waitUntil(lambda: bool(done))

    def add_then_fail(session, ctx):
        session.add(CourtProfile(name="另一法院", code="吉7501"))
        session.flush()
        raise KnownError("不保存")

    run_in_background(add_then_fail, db=db, write=True, on_failure=done.append)
    qtbot.waitUntil(lambda: len(done) == 2)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CourtProfile)) == 1


def test_callbacks_of_a_deleted_owner_are_dropped(qtbot):
    owner = QWidget()
    hit = []
    release = threading.Event()

    def work(ctx):
        release.wait(5)
        return 1

    run_in_background(work, parent=owner, on_success=hit.append)
    owner.deleteLater()
    qtbot.wait(10)
    release.set()
    assert background.wait_all(5000)
    assert hit == []


@pytest.mark.parametrize("n", [20])
def test_many_operations_all_deliver(qtbot, n):
    got = []
    for i in range(n):
        run_in_background(lambda ctx, i=i: i * i, on_success=got.append)
    qtbot.waitUntil(lambda: len(got) == n)
    assert sorted(got) == sorted(i * i for i in range(n))
