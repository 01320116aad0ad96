"""Shared set-up for the 判后答疑 tests: the court's organisation and a judged case.

民事审判庭: 承办法官 李堃 (t_judge), 庭长 周建国 (t_division_chief), 分管院长 吴德华 (t_vice_president);
刑事审判庭: another 庭长 (赵另庭) — who must not be able to record a tier of a civil case.
The case: （2026）吉7502民初15号, 原告 王堃, 被告 刘䶮, 简易程序, 承办法官 李堃.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from baihe_desk.models import (
    Base,
    Case,
    Department,
    Party,
    PartyKind,
    PartyRole,
    Procedure,
    Role,
    Stage,
    User,
)

CASE_NUMBER = "（2026）吉7502民初15号"
PRONOUNCED = date(2026, 9, 18)
SERVED_PLAINTIFF = date(2026, 9, 20)  # a 调休 working Sunday; +15 → 10-05, 国庆 → 10-08
SERVED_DEFENDANT = date(2026, 9, 24)  # +15 → 10-09 (Friday, a working day)
DUE_PLAINTIFF = date(2026, 10, 8)
DUE_DEFENDANT = date(2026, 10, 9)
TODAY = date(2026, 9, 30)


@dataclass
class Org:
    case_id: uuid.UUID
    plaintiff_id: uuid.UUID
    defendant_id: uuid.UUID
    judge: User
    chief: User
    vice_president: User
    clerk: User  # 书记员
    filing_clerk: User
    other_chief: User  # 庭长 of another division
    civil_id: uuid.UUID
    criminal_id: uuid.UUID


def build_org(db, users, *, procedure: Procedure = Procedure.SIMPLE) -> Org:  # type: ignore[no-untyped-def]
    import baihe_desk.models.explanation  # noqa: F401  (registers the tables)

    Base.metadata.create_all(db.engine)
    with db.transaction() as s:
        from baihe_desk.services.admin import court as court_service

        profile = court_service.get_profile(s)
        civil = Department(court=profile, name="民事审判庭", kind="trial")
        criminal = Department(court=profile, name="刑事审判庭", kind="trial")
        s.add_all([civil, criminal])
        other = User(username="t_other_chief", display_name="赵另庭", role=Role.DIVISION_CHIEF, password_hash="x")
        s.add(other)
        s.flush()
        judge = s.get(User, users[Role.JUDGE].id)
        chief = s.get(User, users[Role.DIVISION_CHIEF].id)
        vp = s.get(User, users[Role.VICE_PRESIDENT].id)
        judge.display_name, chief.display_name, vp.display_name = "李堃", "周建国", "吴德华"
        judge.department_id = chief.department_id = civil.id
        s.get(User, users[Role.CLERK].id).department_id = civil.id  # the judge's team records the service
        other.department_id = criminal.id
        civil.chief_id, civil.overseer_id = chief.id, vp.id
        criminal.chief_id, criminal.overseer_id = other.id, vp.id
        case = Case(receipt_number="2026收00015", case_number=CASE_NUMBER, received_on=date(2026, 6, 1),
                    filed_on=date(2026, 6, 3), cause_name="民间借贷纠纷", procedure=procedure, stage=Stage.IN_TRIAL,
                    judge_id=judge.id, number_year=2026, number_type="民初", number_serial=15)
        case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", sort_order=0),
                        Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="刘䶮", sort_order=1)]
        s.add(case)
        s.flush()
        out = Org(case.id, case.parties[0].id, case.parties[1].id, judge, chief, vp, s.get(User, users[Role.CLERK].id),
                  s.get(User, users[Role.FILING_CLERK].id), other, civil.id, criminal.id)
    return out


def judged(db, org: Org, *, kind: str = "judgment", ruling_type=None) -> None:  # type: ignore[no-untyped-def]
    """Record the judgment (pronounced 09-18) and its service on both parties."""
    from baihe_desk.models.explanation import DecisionKind
    from baihe_desk.services.explanation import appeal as ex

    with db.transaction() as s:
        ex.record_judgment(s, org.judge, org.case_id, kind=DecisionKind(kind), ruling_type=ruling_type,
                           pronounced_on=PRONOUNCED, summary="被告于判决生效之日起十日内偿还原告借款50000元。", on=TODAY)
        ex.set_service(s, org.clerk, org.case_id, org.plaintiff_id, SERVED_PLAINTIFF, source="送达回证", on=TODAY)
        ex.set_service(s, org.clerk, org.case_id, org.defendant_id, SERVED_DEFENDANT, source="送达回证", on=TODAY)


TIER_TEXT = dict(
    start_time="09:00", end_time="09:45", place="本院诉讼服务中心答疑室", attendees="被告刘䶮（身份已核实）",
    clerk_name="钱晓", questions="借条上的签名不是我签的，为什么认定借款成立？\n为什么没有鉴定？",
    answers="原告提交了借条原件和银行转账记录，转账金额、时间与借条一致。\n你方在举证期限内未申请笔迹鉴定。",
    legal_points="《中华人民共和国民法典》第六百七十五条；《最高人民法院关于民事诉讼证据的若干规定》第三十一条。",
    party_response="听明白了。",
)
