"""pytest-qt: the administrator keeps the mediation roster (organisations and mediators)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.models import Role
from baihe_desk.models.mediation import MediationOrganisation, Mediator
from baihe_desk.ui.common import background
from baihe_desk.ui.mediation.roster import MediationRosterPage
from tests.ui.helpers import type_text
from tests.ui.mediation.test_mediation_support import click, create_tables


def settle() -> None:
    assert background.wait_all(30_000)


@pytest.fixture
def page(qtbot, db, paths, users):
    create_tables(db)
    widget = MediationRosterPage(db, paths, users[Role.ADMIN])
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    settle()
    return widget


def test_admin_loads_the_courts_organisations_and_adds_a_mediator(qtbot, db, users, page):
    assert page.orgs.rows == []
    click(qtbot, page.defaults_button)
    qtbot.waitUntil(lambda: "已载入 4 个调解组织" in page.status.text(), timeout=10_000)
    settle()
    names = [r.name for r in page.orgs.rows]
    assert "白河林区基层法院诉非联动服务站" in names and "董嫂说事点" in names
    assert page.orgs.rows[0].location == "长白山管委会综治中心"
    assert page.med_user.count() == 1  # t_mediator, the only user with role 调解员
    type_text(page.med_name, "董秀兰")
    page.med_phone.setFocus()
    qtbot.keyClicks(page.med_phone, "13904330001")
    type_text(page.med_special, "婚姻家庭、物业")
    click(qtbot, page.med_add)
    qtbot.waitUntil(lambda: "列入" in page.status.text(), timeout=10_000)
    settle()
    assert [m.name for m in page.meds.rows] == ["董秀兰"] and page.med_user.count() == 0
    with db.session() as s:
        med = s.scalars(select(Mediator)).one()
        assert (med.user_id, med.phone, med.active) == (users[Role.MEDIATOR].id, "13904330001", True)

    page.med_table.selectRow(0)
    click(qtbot, page.med_toggle)
    qtbot.waitUntil(lambda: "已停用调解员" in page.status.text(), timeout=10_000)
    settle()
    with db.session() as s:
        assert s.scalars(select(Mediator)).one().active is False
    page.org_table.selectRow(1)
    click(qtbot, page.org_toggle)
    qtbot.waitUntil(lambda: "已停用" in page.status.text() and "董嫂说事点" in page.status.text(), timeout=10_000)
    with db.session() as s:
        assert s.scalars(select(MediationOrganisation).where(MediationOrganisation.name == "董嫂说事点")).one().active \
            is False


def test_only_the_administrator_may_change_the_roster(qtbot, db, paths, users):
    create_tables(db)
    page = MediationRosterPage(db, paths, users[Role.FILING_CLERK])
    qtbot.addWidget(page)
    page.show()
    settle()
    click(qtbot, page.defaults_button)
    settle()
    with db.session() as s:
        assert s.scalars(select(MediationOrganisation)).all() == []
