"""At 150 % on a 1400×900 screen the 判后答疑 page has about 760×560 logical pixels: the 答疑申请 tab still
shows the tier form beside the lists at a readable width (on the screenshot it was squeezed to a strip
of 100 px, the register form's one long row of checkboxes taking the rest)."""

from __future__ import annotations

from baihe_desk.ui.common.qt import QScrollArea
from tests.services.explanation.test_explanation_support import TODAY, build_org
from tests.ui.explanation.test_explanation_page import open_page


def test_the_tier_form_keeps_its_room_at_150_percent(qtbot, db, paths, users):
    org = build_org(db, users)
    page = open_page(qtbot, db, paths, org.judge, TODAY, org.case_id)
    page.tabs.setCurrentWidget(page.requests)
    page.resize(760, 560)
    qtbot.wait(50)
    assert page.minimumSizeHint().width() <= 760  # the page fits: nothing pushed out of sight
    right = page.requests.findChild(QScrollArea, "tierFormScroll")
    assert right.width() >= 5 * right.fontMetrics().horizontalAdvance("答疑内容")
    assert right.width() >= page.requests.width() // 3
