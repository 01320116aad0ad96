"""Shared set-up for the mediation tests (no tests here): the mediation tables, a roster, cases.

The mediation tables are not in the shipped migration until the lead regenerates it, so the tests add
them with ``Base.metadata.create_all`` (which only creates missing tables).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from baihe_desk.models import Base, Case, Party, PartyKind, PartyRole, Role, User
from baihe_desk.models.mediation import MediationCase, MediationStatus, OrganisationKind
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import roster as mediation_roster

TODAY = mediation.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def create_tables(db) -> None:  # type: ignore[no-untyped-def]
    import baihe_desk.models.mediation  # noqa: F401  (registers the tables)

    Base.metadata.create_all(db.engine)


def add_case(db, receipt: str, *, cause_code: str = "4.10.108.1", cause_name: str = "金融借款合同纠纷",  # type: ignore[no-untyped-def]
             amount: str | None = "50000", plaintiff: str = "吉林白河农村商业银行股份有限公司",
             defendants: tuple[str, ...] = ("王堃",), received_days_ago: int = 40) -> Case:
    with db.transaction() as s:
        case = Case(receipt_number=receipt, received_on=days_ago(received_days_ago), cause_code=cause_code,
                    cause_name=cause_name, claim_amount=Decimal(amount) if amount else None,
                    claims="请求判令被告偿还借款本金及利息", facts="被告借款到期未还")
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION, name=plaintiff, sort_order=0)]
        case.parties += [Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=n, sort_order=i + 1,
                               domicile="吉林省安图县二道白河镇白山大街8号")
                         for i, n in enumerate(defendants)]
        s.add(case)
    return case


def roster(db, users: dict, *, second_mediator: bool = True):  # type: ignore[no-untyped-def]
    """The court's organisations; the fixture user of role MEDIATOR at the station (+ a second one)."""
    admin = users[Role.ADMIN]
    with db.transaction() as s:
        orgs = {o.kind: o for o in mediation_roster.install_defaults(s, admin)}
        station = orgs[OrganisationKind.STATION]
        first = mediation_roster.add_mediator(s, admin, station.id, users[Role.MEDIATOR].id, name="董秀兰",
                                              phone="13904330001")
        other = None
        if second_mediator:
            u = User(username="t_mediator2", display_name="调解员 金美玉", role=Role.MEDIATOR, password_hash="x")
            s.add(u)
            s.flush()
            other = mediation_roster.add_mediator(s, admin, station.id, u.id, name="金美玉")
            users["mediator2"] = u
    return orgs, first, other


def referred(db, users: dict, case: Case, org, mediator, *, accepted_days_ago: int = 10,  # type: ignore[no-untyped-def]
             paths=None) -> MediationCase:
    """A case taken through the window (notice, consent, assignment) and accepted by ``mediator``."""
    from baihe_desk.services.mediation import station as mediation_station

    clerk = users[Role.FILING_CLERK]
    start = accepted_days_ago + 3
    with db.transaction() as s:
        m = mediation.recommend(s, clerk, case.id, on=days_ago(start))
        if paths is not None:
            mediation.hand_out_notice(s, clerk, m.id, paths=paths, given_on=days_ago(start))
        else:  # without a data folder: mark the notice as handed out, as the service would
            m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, days_ago(start)
        mediation.record_choice(s, clerk, m.id, "agree", days_ago(start))
        mediation.assign(s, clerk, m.id, org.id, mediator.id, on=days_ago(start - 1))
    user = next(u for u in users.values() if isinstance(u, User) and u.id == mediator.user_id)
    if accepted_days_ago is not None:
        with db.transaction() as s:
            mediation_station.accept(s, user, m.id, accepted_on=days_ago(accepted_days_ago), today_=TODAY)
    return m
