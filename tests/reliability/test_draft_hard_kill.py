"""What a clerk was typing survives the program being killed outright (power cut, Task Manager): the intake
form saves its draft by itself every few seconds (IntakeForm.autosave)."""

from __future__ import annotations

import json
import multiprocessing as mp
import time

import pytest

from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.filing.intake_form import IntakeForm, draft_file
from tests.fake_today import children_on_this_clock
from tests.reliability import draft_child
from tests.reliability.test_draft_survives_crash import _text, _wait_for


@pytest.mark.slow
def test_draft_survives_a_hard_kill_without_any_crash(qtbot, settle, db, clerk, paths, tmp_path):
    status = tmp_path / "status.txt"
    proc = mp.get_context("spawn").Process(target=draft_child.run, args=(str(paths.root), str(status)),
                                           kwargs={"crash": False}, name="draft-child-hard")
    with children_on_this_clock():
        proc.start()
    draft = draft_file(paths, clerk)  # each user has their own draft
    try:
        _wait_for(status, proc, "typed")
        end = time.monotonic() + 30
        while time.monotonic() < end:  # the autosave tick writes the draft; nothing else runs
            if draft.exists() and json.loads(draft.read_text(encoding="utf-8"))["claims"] == draft_child.TYPED["claims"]:
                break
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.join(30)
    assert proc.exitcode is not None and proc.exitcode != 0
    assert not list(paths.logs.glob("crash-*.log"))  # no crash handler ran: only the autosave saved it
    form = IntakeForm(db, clerk, paths)
    qtbot.addWidget(form)
    form.show()
    assert form.draft_banner.isVisible()
    qtbot.mouseClick(form.draft_banner.restore_button, Qt.MouseButton.LeftButton)
    assert {key: _text(draft_child.field(form, key)) for key in draft_child.TYPED} == draft_child.TYPED
