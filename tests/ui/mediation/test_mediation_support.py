"""Set-up shared by the mediation UI tests (no tests here): tables, roster, cases, clicking rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from baihe_desk.models import Base, Case, Party, PartyKind, PartyRole, Role, User
from baihe_desk.models.mediation import MediationStatus, OrganisationKind
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import roster as mediation_roster
from baihe_desk.services.mediation import station as mediation_station
from baihe_desk.ui.common.qt import QApplication, Qt

# Wednesday 2026-11-18 (tests/ui/mediation/conftest.py travels there): expected dates are counted by hand.
TODAY = date(2026, 11, 18)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def create_tables(db) -> None:  # type: ignore[no-untyped-def]
    import baihe_desk.models.mediation  # noqa: F401  (registers the tables)

    Base.metadata.create_all(db.engine)


def add_case(db, receipt: str, *, cause_code: str = "4.10.126", cause_name: str = "物业服务合同纠纷",  # type: ignore[no-untyped-def]
             amount: str | None = "6800", plaintiff: str = "长白山保护区某物业服务有限公司",
             defendants: tuple[str, ...] = ("王堃",)) -> Case:
    with db.transaction() as s:
        case = Case(receipt_number=receipt, received_on=days_ago(45), cause_code=cause_code, cause_name=cause_name,
                    claim_amount=Decimal(amount) if amount else None, claims="请求判令被告支付物业服务费",
                    facts="被告拖欠物业服务费")
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION, name=plaintiff, sort_order=0)]
        case.parties += [Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=n, sort_order=i + 1,
                               domicile="吉林省安图县二道白河镇白山大街8号") for i, n in enumerate(defendants)]
        s.add(case)
    return case


def roster(db, users: dict):  # type: ignore[no-untyped-def]
    admin = users[Role.ADMIN]
    with db.transaction() as s:
        orgs = {o.kind: o for o in mediation_roster.install_defaults(s, admin)}
        station = orgs[OrganisationKind.STATION]
        first = mediation_roster.add_mediator(s, admin, station.id, users[Role.MEDIATOR].id, name="董秀兰",
                                              phone="13904330001")
        u = User(username="t_mediator2", display_name="调解员 金美玉", role=Role.MEDIATOR, password_hash="x")
        s.add(u)
        s.flush()
        second = mediation_roster.add_mediator(s, admin, station.id, u.id, name="金美玉", phone="13904330002")
    users["mediator2"] = u
    return orgs, first, second


def assigned(db, users: dict, case: Case, org, mediator, *, accepted_days_ago: int | None = None):  # type: ignore[no-untyped-def]
    """Through the window by the services (notice marked as handed out) up to the assignment."""
    clerk = users[Role.FILING_CLERK]
    start = (accepted_days_ago or 0) + 3
    with db.transaction() as s:
        m = mediation.recommend(s, clerk, case.id, on=days_ago(start))
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, days_ago(start)
        mediation.record_choice(s, clerk, m.id, "agree", days_ago(start))
        mediation.assign(s, clerk, m.id, org.id, mediator.id, on=days_ago(start - 1))
    if accepted_days_ago is not None:
        user = users[Role.MEDIATOR] if mediator.user_id == users[Role.MEDIATOR].id else users["mediator2"]
        with db.transaction() as s:
            mediation_station.accept(s, user, m.id, accepted_on=days_ago(accepted_days_ago), today_=TODAY)
    return m


def click_row(qtbot, table, row: int) -> None:  # type: ignore[no-untyped-def]
    table.scrollTo(table.model().index(row, 0))
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QApplication.processEvents()


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled() and button.isVisible(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
