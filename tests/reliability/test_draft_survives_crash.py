"""What a clerk was typing survives a crash of the program (崩溃后草稿不丢失).

A real child process runs the intake form with the app's crash handler, types, hits a bug in a
background operation (the crash dialog opens) and is then killed outright. A fresh form in this process
offers the draft and restores every character typed, rare ones included.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import time

import pytest

from baihe_desk.ui.common.qt import QPlainTextEdit, Qt
from baihe_desk.ui.filing.intake_form import IntakeForm, draft_file
from tests.fake_today import children_on_this_clock
from tests.reliability import draft_child


def _text(widget) -> str:  # type: ignore[no-untyped-def]
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def _wait_for(status, proc, want: str, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if status.exists() and status.read_text(encoding="utf-8") == want:
            return
        assert proc.exitcode is None, f"the form process ended by itself (exit code {proc.exitcode})"
        time.sleep(0.05)
    raise AssertionError(f"the form process did not reach {want!r} within {timeout:.0f} s")


@pytest.mark.slow
def test_draft_typed_before_a_crash_survives_the_process_being_killed(qtbot, settle, db, clerk, paths, tmp_path):
    status = tmp_path / "status.txt"
    proc = mp.get_context("spawn").Process(target=draft_child.run, args=(str(paths.root), str(status)),
                                           name="draft-child")
    with children_on_this_clock():
        proc.start()
    try:
        _wait_for(status, proc, "dialog")  # typed, the bug happened, the crash dialog is up
    finally:
        proc.kill()
        proc.join(30)
    assert proc.exitcode is not None and proc.exitcode != 0  # killed, not a clean exit

    draft = draft_file(paths, clerk)
    saved = json.loads(draft.read_text(encoding="utf-8"))
    assert saved["claims"] == draft_child.TYPED["claims"]
    assert saved["parties"][0]["name"] == "王𠇔"
    logs = list(paths.logs.glob("crash-*.log"))
    assert len(logs) == 1 and "模拟的程序错误（后台操作）" in logs[0].read_text(encoding="utf-8")

    form = IntakeForm(db, clerk, paths)  # the next start of the program
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    assert form.draft_banner.isVisible()
    qtbot.mouseClick(form.draft_banner.restore_button, Qt.MouseButton.LeftButton)
    restored = {key: _text(draft_child.field(form, key)) for key in draft_child.TYPED}
    assert restored == draft_child.TYPED
    assert not draft.exists()
