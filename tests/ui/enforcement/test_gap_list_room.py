"""Without findings the 可执行性检查 keeps only its headline: on the 125 % screenshot an empty list took a
third of the editor while the draft's form above it was scrolled to four lines."""

from __future__ import annotations

from baihe_desk.models import Role
from baihe_desk.services.enforcement.enforceability import summary
from tests.ui.common.test_stale_panels import show
from tests.ui.common.test_stale_panels_enforcement import _open, two_drafts  # noqa: F401


def test_the_form_gets_the_room_an_empty_gap_list_would_take(qtbot, db, paths, users, two_drafts):  # noqa: F811
    from baihe_desk.ui.enforcement.page import EnforcementConsultPage

    b, _b = two_drafts  # A: one complete money term, nothing to find
    page = show(qtbot, EnforcementConsultPage(db, paths, users[Role.JUDGE]))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    _open(qtbot, page, b)
    editor = page.editor
    qtbot.waitUntil(lambda: editor.consultation_id == b)
    assert editor.gaps.gaps  # (a hint: 李喆玥 has no ID number) — the list shows …
    assert editor.gaps.list.isVisibleTo(editor)
    editor.gaps.show_gaps([], summary([]))  # … and with nothing found, as the checker reports it
    qtbot.wait(50)
    assert "未发现" in editor.gaps.summary.text()
    assert not editor.gaps.list.isVisible()
    assert editor.gaps.height() <= 2 * editor.gaps.summary.sizeHint().height()
    assert editor.scroll.height() > 3 * editor.gaps.height()
