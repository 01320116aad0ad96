"""At 125 % on a 1400×900 screen the page has about 950 logical pixels: the mediator's five tabs (调解记录 …
调解结果) all fit beside the list — on the screenshots 调解结果 was behind the tab bar's scroll arrows."""

from __future__ import annotations

from baihe_desk.models import Role
from tests.ui.common.test_stale_panels import show
from tests.ui.mediation.test_mediation_support import create_tables


def test_the_five_tabs_fit_at_125_percent(qtbot, db, paths, users):
    from baihe_desk.ui.mediation.workbench import MediationWorkbenchPage

    create_tables(db)
    page = show(qtbot, MediationWorkbenchPage(db, paths, users[Role.MEDIATOR]))
    page.resize(950, 640)
    qtbot.wait(50)
    bar = page.tabs.tabBar()
    assert bar.count() == 5
    assert sum(bar.tabSizeHint(i).width() for i in range(bar.count())) <= page.tabs.width()
