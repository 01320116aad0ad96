"""Building blocks for the clock, queue and statistics tests: departments with a 庭长 and a 分管院长, and
cases in given stages written straight through the ORM (the workflows' own services are tested elsewhere).
Imported by name from tests/unit and, via its path, from tests/ui."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from baihe_desk.models import (
    Base,
    Case,
    CourtProfile,
    Department,
    Party,
    PartyKind,
    PartyRole,
    Procedure,
    Role,
    Stage,
    User,
    utcnow,
)
from baihe_desk.models.mediation import (
    MediationCase,
    MediationOrganisation,
    MediationOutcome,
    MediationStatus,
    Mediator,
)
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import (
    ServedDocument,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
)

_serial = itertools.count(1)


def create_tables(db) -> None:
    """Add the tables the migration does not have yet (create_all only adds missing ones)."""
    import baihe_desk.models.clock  # noqa: F401
    import baihe_desk.models.enforcement  # noqa: F401
    import baihe_desk.models.explanation  # noqa: F401
    import baihe_desk.models.mediation  # noqa: F401
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401

    Base.metadata.create_all(db.engine)


@dataclass
class World:
    db: object
    users: dict[Role, User]
    filing: uuid.UUID  # 立案庭
    trial: uuid.UUID  # 民事审判庭
    tribunal: uuid.UUID  # 人民法庭
    judge2: User  # a second judge, in the 人民法庭


def build_world(db, users: dict[Role, User]) -> World:
    """Departments (立案庭, 民事审判庭 led by the 庭长 and overseen by the 分管院长, 人民法庭), users placed in them."""
    create_tables(db)
    with db.transaction() as s:
        court = s.query(CourtProfile).first()
        filing = Department(court_id=court.id, name="立案庭", kind="filing", sort_order=0)
        trial = Department(court_id=court.id, name="民事审判庭", kind="trial", sort_order=1,
                           chief_id=users[Role.DIVISION_CHIEF].id, overseer_id=users[Role.VICE_PRESIDENT].id)
        tribunal = Department(court_id=court.id, name="长白山保护区人民法庭", kind="tribunal", sort_order=2)
        enforcement = Department(court_id=court.id, name="执行局", kind="enforcement", sort_order=3)
        s.add_all([filing, trial, tribunal, enforcement])
        s.flush()
        place = {Role.FILING_CLERK: filing, Role.JUDGE: trial, Role.JUDGE_ASSISTANT: trial, Role.CLERK: trial,
                 Role.DIVISION_CHIEF: trial, Role.ENFORCEMENT: enforcement, Role.ADMIN: filing}
        for role, dept in place.items():
            s.get(User, users[role].id).department_id = dept.id
            users[role].department_id = dept.id
        judge2 = User(username="judge2", display_name="法官 张昇", role=Role.JUDGE, department_id=tribunal.id,
                      password_hash="not-a-hash")
        s.add(judge2)
    return World(db, users, filing.id, trial.id, tribunal.id, judge2)


def add_case(s, *, received_on: date, stage: Stage = Stage.RECEIVED, filed_on: date | None = None,
             procedure: Procedure | None = None, judge_id: uuid.UUID | None = None,
             department_id: uuid.UUID | None = None, created_by_id: uuid.UUID | None = None,
             closed_on: date | None = None, plaintiff: str = "王堃", defendant: str = "李喆玥",
             cause: str = "民间借贷纠纷") -> Case:
    n = next(_serial)
    case = Case(receipt_number=f"收T{n:05d}", received_on=received_on, stage=stage, filed_on=filed_on,
                procedure=procedure, judge_id=judge_id, department_id=department_id, created_by_id=created_by_id,
                closed_on=closed_on, cause_name=cause)
    if filed_on is not None:
        case.case_number = f"（{filed_on.year}）吉7502民初{n}号"
        case.number_year, case.number_type, case.number_serial = filed_on.year, "民初", n
    case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name=plaintiff, sort_order=0),
                    Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name=defendant, sort_order=1)]
    s.add(case)
    s.flush()
    return case


def days_ago(today: date, n: int) -> date:
    return today - timedelta(days=n)


def march_data(w: World) -> None:
    """March 2026 (and March 2025) as counted by hand in test_statistics."""
    judge, clerk = w.users[Role.JUDGE], w.users[Role.FILING_CLERK]
    d = date
    with w.db.transaction() as s:
        a = add_case(s, received_on=d(2026, 3, 2), stage=Stage.IN_TRIAL, filed_on=d(2026, 3, 4),
                     procedure=Procedure.SIMPLE, judge_id=judge.id)
        b = add_case(s, received_on=d(2026, 3, 5), stage=Stage.IN_TRIAL, filed_on=d(2026, 3, 6),
                     procedure=Procedure.SIMPLE, judge_id=judge.id)
        add_case(s, received_on=d(2026, 3, 20), stage=Stage.FILED, filed_on=d(2026, 3, 30),  # filed late
                 procedure=Procedure.ORDINARY, judge_id=w.judge2.id)
        add_case(s, received_on=d(2026, 3, 25), created_by_id=clerk.id)
        add_case(s, received_on=d(2026, 3, 26), created_by_id=clerk.id)
        add_case(s, received_on=d(2025, 3, 10), stage=Stage.CLOSED, filed_on=d(2025, 3, 12),
                 procedure=Procedure.SIMPLE, judge_id=judge.id, closed_on=d(2025, 5, 1))
        add_case(s, received_on=d(2025, 10, 20), stage=Stage.CLOSED, filed_on=d(2025, 11, 1),  # limit 2026-02-01
                 procedure=Procedure.SIMPLE, judge_id=judge.id, closed_on=d(2026, 3, 5))
        add_case(s, received_on=d(2026, 1, 8), stage=Stage.CLOSED, filed_on=d(2026, 1, 10),
                 procedure=Procedure.SIMPLE, judge_id=judge.id, closed_on=d(2026, 3, 1))
        for case, day in ((a, d(2026, 3, 10)), (b, d(2026, 3, 15))):
            defendant = next(p for p in case.parties if p.role is PartyRole.DEFENDANT)
            signed = day == d(2026, 3, 10)
            s.add(ServiceAttempt(case_id=case.id, party_id=defendant.id, document=ServedDocument.COMPLAINT_COPY,
                                 method=ServiceMethod.DIRECT if signed else ServiceMethod.LEFT, attempted_on=day,
                                 result=ServiceResult.SIGNED if signed else ServiceResult.LEFT_AT_RESIDENCE,
                                 signed_on=day if signed else None, witnesses="" if signed else "村委会主任"))
        for i, outcome in enumerate([ReviewOutcome.REGISTERED, ReviewOutcome.REGISTERED, ReviewOutcome.CORRECTION,
                                     ReviewOutcome.REFERRED_MEDIATION]):
            c = add_case(s, received_on=d(2026, 3, 1 + i), stage=Stage.CLOSED)
            s.add(ComplaintReview(case_id=c.id, round_no=1, checklist_version="t", materials_received_on=c.received_on,
                                  finished_at=utcnow(), outcome=outcome, decided_on=d(2026, 3, 2 + i)))
        org = MediationOrganisation(name="诉非联动服务站", kind="station")
        s.add(org)
        s.flush()
        mediator = Mediator(organisation_id=org.id, user_id=w.users[Role.MEDIATOR].id, name="董秀兰")
        s.add(mediator)
        s.flush()
        for opened, outcome, on in ((d(2026, 3, 3), MediationOutcome.CONFIRMATION, d(2026, 3, 20)),
                                    (d(2026, 2, 25), MediationOutcome.FAILED, d(2026, 3, 28)),
                                    (d(2026, 3, 29), None, None)):
            c = add_case(s, received_on=opened, stage=Stage.PRE_MEDIATION)
            s.add(MediationCase(case_id=c.id, status=MediationStatus.SUCCEEDED if outcome else MediationStatus.IN_PROGRESS,
                                opened_on=opened, mediator_id=mediator.id, accepted_on=opened, period_days=30,
                                outcome=outcome, outcome_on=on))
