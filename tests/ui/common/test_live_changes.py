"""Another desk's change shows without F5, and never wipes what the clerk is typing (ui/common/live.py)."""

from __future__ import annotations

from baihe_desk.models import Role
from baihe_desk.storage.db import Database
from baihe_desk.ui.common import background
from baihe_desk.ui.common.live import follow_other_desks
from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.main_window import PAGE_FILING
from tests.reliability.factories import make_case
from tests.ui.helpers import key, type_text
from tests.ui.test_main_window import make_window


def test_a_case_received_at_another_desk_appears_in_the_review_queue(qtbot, db, users, paths):
    clerk = users[Role.FILING_CLERK]
    first = make_case(db, clerk, seed=1)
    win = make_window(qtbot, db, clerk, paths)
    page = win.show_page(PAGE_FILING)
    qtbot.waitUntil(lambda: len(page.queue_model.rows) == 1, timeout=5000)
    # The clerk opens the case and starts typing a conclusion note.
    page.queue.setFocus()
    page.queue.setCurrentIndex(page.queue_model.index(0, 0))
    key(page.queue, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.case_id == first and page.view is not None, timeout=5000)
    qtbot.waitUntil(lambda: background.running() == 0, timeout=5000)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # 开始立案审查
    qtbot.waitUntil(lambda: page.outcome.note.isEnabled() and background.running() == 0, timeout=5000)
    type_text(page.outcome.note, "当事人称下周补交证据")
    assert page.outcome.note.text() == "当事人称下周补交证据"

    live = follow_other_desks(win, interval_ms=100)
    other = Database(db.engine.url.render_as_string(hide_password=False))  # a second workstation
    try:
        second = make_case(other, clerk, seed=2)
        qtbot.waitUntil(lambda: {r.case_id for r in page.queue_model.rows} == {first, second}, timeout=2000)
        qtbot.waitUntil(lambda: background.running() == 0, timeout=5000)
        assert page.case_id == first  # the open review stays open …
        assert page.outcome.note.text() == "当事人称下周补交证据"  # … with what the clerk typed
        selected = page.queue.currentIndex().row()
        assert page.queue_model.rows[selected].case_id == first
    finally:
        live.stop()
        other.dispose()


def test_the_case_list_follows_while_at_the_top(qtbot, db, users, paths):
    clerk = users[Role.FILING_CLERK]
    win = make_window(qtbot, db, clerk, paths)
    before = win.case_list.model.total
    live = follow_other_desks(win, interval_ms=100)
    other = Database(db.engine.url.render_as_string(hide_password=False))
    try:
        make_case(other, clerk, seed=3)
        qtbot.waitUntil(lambda: win.case_list.model.total == before + 1, timeout=2000)
    finally:
        live.stop()
        other.dispose()
