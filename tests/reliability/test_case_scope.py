"""Issue 17, case scope in the services: the permission matrix's case-relation axis. For every service
that acts on one case's judgment, each actor is tried on a case of their own, a case of their own
division handled by someone else, and a case of another division; a mediator with no assignment is
tried on another case's document. Refusals are audited; nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import AuditRecord, Case, Department, Role, Stage, User
from baihe_desk.models.explanation import DecisionKind, JudgmentRecord
from baihe_desk.services.admin import court as court_service
from baihe_desk.services.common import documents as docs
from baihe_desk.services.explanation import appeal as ex
from tests.reliability.factories import make_case

TODAY = date(2026, 9, 30)


@pytest.fixture
def org(db, users):
    """民事审判庭: judge A (the case's), judge B, an assistant and a clerk, chief and overseer;
    法庭: judge C and an assistant."""
    with db.transaction() as s:
        profile = court_service.get_profile(s)
        civil = Department(court=profile, name="民事审判庭", kind="trial", chief_id=users[Role.DIVISION_CHIEF].id,
                           overseer_id=users[Role.VICE_PRESIDENT].id)
        tribunal = Department(court=profile, name="人民法庭", kind="tribunal")
        s.add_all([civil, tribunal])
        s.flush()
        for role in (Role.JUDGE, Role.JUDGE_ASSISTANT, Role.CLERK, Role.DIVISION_CHIEF):
            s.get(User, users[role].id).department_id = civil.id
        extra = {}
        for name, role, dept in (("judge_b", Role.JUDGE, civil), ("judge_c", Role.JUDGE, tribunal),
                                 ("assistant_c", Role.JUDGE_ASSISTANT, tribunal)):
            u = User(username=name, display_name=name, role=role, password_hash="x", department_id=dept.id)
            s.add(u)
            extra[name] = u
        s.flush()
    return {"judge_a": users[Role.JUDGE], "assistant_a": users[Role.JUDGE_ASSISTANT], "clerk_a": users[Role.CLERK],
            **{k: v for k, v in extra.items()}}


def _filed_case(db, users, judge_id):  # type: ignore[no-untyped-def]
    cid = make_case(db, users[Role.FILING_CLERK], 7)
    with db.transaction() as s:
        case = s.get(Case, cid)
        case.case_number, case.filed_on, case.stage, case.judge_id = "（2026）吉7502民初7号", date(2026, 6, 1), \
            Stage.IN_TRIAL, judge_id
    return cid


# who → may record the judgment of judge A's case (own case / own division / other division)
EXPECTED = {"judge_a": True, "assistant_a": True, "clerk_a": True, "judge_b": False, "judge_c": False,
            "assistant_c": False}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_recording_a_judgment_needs_the_case_team(db, users, org, who):
    cid = _filed_case(db, users, org["judge_a"].id)
    actor = org[who]
    if EXPECTED[who]:
        with db.transaction() as s:
            ex.record_judgment(s, actor, cid, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 9, 18), on=TODAY)
            ex.set_service(s, actor, cid, s.get(Case, cid).parties[0].id, date(2026, 9, 20), on=TODAY)
        return
    with pytest.raises(PermissionDenied, match="承办法官"):
        with db.transaction() as s:
            ex.record_judgment(s, actor, cid, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 9, 18), on=TODAY)
    with db.transaction() as s:  # judge A records it; the outsider may not record its service either
        ex.record_judgment(s, org["judge_a"], cid, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 9, 18),
                           on=TODAY)
    with pytest.raises(PermissionDenied):
        with db.transaction() as s:
            ex.set_service(s, actor, cid, s.get(Case, cid).parties[0].id, date(2026, 9, 20), on=TODAY)
    with db.session() as s:
        assert s.scalar(select(JudgmentRecord).where(JudgmentRecord.case_id == cid)).services == []
        denied = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied",
                                                     AuditRecord.entity_id == str(cid))).all()
        assert len(denied) == 2 and all(d.username == actor.username for d in denied)


def test_a_case_without_a_judge_is_its_division_s(db, users, org):
    cid = _filed_case(db, users, None)
    with db.transaction() as s:
        s.get(Case, cid).department_id = s.scalar(select(Department.id).where(Department.name == "人民法庭"))
    with pytest.raises(PermissionDenied):
        with db.transaction() as s:
            ex.record_judgment(s, org["judge_a"], cid, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 9, 18),
                               on=TODAY)
    with db.transaction() as s:
        ex.record_judgment(s, org["judge_c"], cid, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 9, 18),
                           on=TODAY)


def test_a_mediator_without_an_assignment_gets_no_document_of_another_case(db, users, paths, tmp_path):
    cid = make_case(db, users[Role.FILING_CLERK], 3)
    with db.session() as s:
        ref = s.get(Case, cid).receipt_number
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PermissionDenied, match="不在本人负责的范围"):
        with db.transaction() as s:
            docs.render_to_dir(s, users[Role.MEDIATOR], "mediation-notice", ref, ["pdf"], out, paths=paths)
    assert list(out.iterdir()) == []


def test_a_mediator_without_an_assignment_adds_no_address_to_another_case(db, users):
    from baihe_desk.models import Party
    from baihe_desk.services.filing import service_address as sa

    cid = make_case(db, users[Role.FILING_CLERK], 4)
    with pytest.raises(PermissionDenied, match="不在本人负责的范围"):
        with db.transaction() as s:
            party = s.scalars(select(Party).where(Party.case_id == cid)).first()
            sa.add_address(s, users[Role.MEDIATOR], party, "household", "吉林省安图县二道白河镇白山大街1号")
    with db.session() as s:
        party = s.scalars(select(Party).where(Party.case_id == cid)).first()
        assert sa.addresses_of(s, party) == []
    with db.transaction() as s:  # the filing clerk may, as before
        party = s.scalars(select(Party).where(Party.case_id == cid)).first()
        sa.add_address(s, users[Role.FILING_CLERK], party, "household", "吉林省安图县二道白河镇白山大街1号")
