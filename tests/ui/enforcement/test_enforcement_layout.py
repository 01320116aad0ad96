"""What the Xvfb screenshots of the 执行咨询 pages showed, kept: the bureau's 保存草稿 / 提交执行建议 stay in
reach below the scrolled reply (they were cut off at its bottom), and both lists show which case each
consultation is about without scrolling sideways (the long reply clock pushed 案件 out of sight)."""

from __future__ import annotations

import pytest

from baihe_desk.models import Role
from tests.ui.common.test_stale_panels import settle
from tests.ui.common.test_stale_panels_enforcement import _open, _send_both, two_drafts  # noqa: F401

pytest.importorskip("PySide6.QtPdfWidgets")
CASE_COLUMN = 3


def _show(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1180, 760)  # the page's room in a 1400×900 window
    page.show()
    qtbot.waitExposed(page)
    settle()
    return page


def _case_column_in_sight(page) -> bool:
    table = page.table
    start = table.columnViewportPosition(CASE_COLUMN)
    return 0 <= start and start + 150 <= table.viewport().width()  # room for "（2026）吉7502民初88号"


def test_reply_buttons_in_reach_and_case_column_in_sight(qtbot, db, paths, users, two_drafts):  # noqa: F811
    from baihe_desk.ui.enforcement.page import EnforcementConsultPage
    from baihe_desk.ui.enforcement.queue import EnforcementQueuePage

    a, b = two_drafts
    _send_both(db, users[Role.JUDGE], (a, b))
    queue = _show(qtbot, EnforcementQueuePage(db, paths, users[Role.ENFORCEMENT]))
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2)
    _open(qtbot, queue, a)
    qtbot.waitUntil(lambda: queue.reply.ctx is not None and queue.reply_pane.isVisible())
    qtbot.wait(50)
    for button in (queue.reply.save_button, queue.reply.submit_button):
        assert button.visibleRegion().boundingRect() == button.rect(), button.objectName()  # wholly shown
        assert not queue.reply_scroll.isAncestorOf(button)  # and not scrolled away with the form
    assert _case_column_in_sight(queue)
    assert "前）" in queue.model.index(0, 2).data()  # the clock stays, shorter; its whole text is the tooltip
    judge = _show(qtbot, EnforcementConsultPage(db, paths, users[Role.JUDGE]))
    qtbot.waitUntil(lambda: judge.model.rowCount() == 2)
    assert _case_column_in_sight(judge)
