"""审计记录查阅 (issue 17) on SQLite and PostgreSQL: the administrator filters the trail by case, user,
action and days; a case's judge sees that case's history and a judge of another case does not; every
viewing is itself audited, every refusal too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from baihe_desk.errors import NotFound, PermissionDenied
from baihe_desk.models import AuditRecord, Case, Party, Role, User
from baihe_desk.services.admin import audit_log
from baihe_desk.services.admin.audit_log import LOCAL
from baihe_desk.services.admin.audit_page import AuditFilter
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.common.numbering import assign_case_number
from tests.db_fixtures import PASSWORD
from tests.reliability.factories import make_case


@pytest.fixture
def two_cases(udb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    a, b = make_case(udb, clerk, 1), make_case(udb, clerk, 2)
    with udb.transaction() as s:
        number = assign_case_number(s, clerk, s.get(Case, a), "民初", year=2025)
    with udb.session() as s:
        ids = {c: {str(c), *(str(p) for p in s.scalars(select(Party.id).where(Party.case_id == c)))} for c in (a, b)}
    return a, b, str(number), ids


def _last(udb) -> AuditRecord:
    with udb.session() as s:
        return s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()


def test_admin_filters_by_case_number_and_the_viewing_is_audited(udb, uusers, two_cases):
    a, b, number, ids = two_cases
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        page = audit_log.search(s, admin, AuditFilter(case=number))
    assert page.case_label == number
    actions = [r.action for r in page.rows]
    assert "case.create" in actions  # the intake of case A …
    assert any(r.entity_id == str(a) and "number" in r.action for r in page.rows)  # … and its 案号
    assert not any(r.entity_id in ids[b] for r in page.rows)  # nothing of case B
    assert page.total == len(page.rows) > 1
    last = _last(udb)
    assert (last.action, last.username) == ("audit.view", admin.username)
    assert last.after["filter"]["case"] == number and last.after["matched"] == page.total
    with udb.transaction() as s:  # the receipt number finds the same case
        receipt = s.get(Case, a).receipt_number
        assert audit_log.search(s, admin, AuditFilter(case=receipt)).case_label == number


def test_user_action_and_day_filters(udb, uusers, two_cases):
    admin, clerk = uusers[Role.ADMIN], uusers[Role.FILING_CLERK]
    with udb.transaction() as s:
        by_user = audit_log.search(s, admin, AuditFilter(username=clerk.username))
        creates = audit_log.search(s, admin, AuditFilter(action="case.create"))
        prefix = audit_log.search(s, admin, AuditFilter(action="case."))
    assert by_user.rows and {r.username for r in by_user.rows} == {clerk.username}
    assert [r.action for r in creates.rows] == ["case.create", "case.create"]
    assert {r.action for r in prefix.rows} >= {"case.create"} and all(r.action.startswith("case.") for r in prefix.rows)
    # the days: the court's day the records were written on (read from the records, not the clock)
    day = creates.rows[0].at.astimezone(LOCAL).date()
    with udb.transaction() as s:
        same = audit_log.search(s, admin, AuditFilter(action="case.create", date_from=day, date_to=day))
        after = audit_log.search(s, admin, AuditFilter(action="case.create", date_from=day + timedelta(days=1)))
        before = audit_log.search(s, admin, AuditFilter(action="case.create", date_to=day - timedelta(days=1)))
    assert (same.total, after.total, before.total) == (2, 0, 0)


def test_unknown_case_is_named_and_non_admins_are_refused_and_audited(udb, uusers, two_cases):
    with udb.transaction() as s:
        with pytest.raises(NotFound, match="未找到案件"):
            audit_log.search(s, uusers[Role.ADMIN], AuditFilter(case="（2025）吉7502民初999号"))
    for role in (Role.JUDGE, Role.FILING_CLERK, Role.MEDIATOR, Role.DIVISION_CHIEF):
        with pytest.raises(PermissionDenied, match="无权查阅审计记录"):
            with udb.transaction() as s:
                audit_log.search(s, uusers[role], AuditFilter())
        last = _last(udb)
        assert (last.action, last.username, last.entity_id) == ("permission.denied", uusers[role].username,
                                                                  "audit.view")


def test_a_judge_sees_the_history_of_own_case_only(udb, uusers, two_cases):
    a, b, number, ids = two_cases
    judge = uusers[Role.JUDGE]
    with udb.transaction() as s:
        other = User(username="u_judge2", display_name="另一法官", role=Role.JUDGE, password_hash=hash_password(PASSWORD))
        s.add(other)
        s.get(Case, a).judge_id = judge.id
        s.get(Case, b).judge_id = other.id
    with udb.transaction() as s:
        page = audit_log.case_history(s, judge, a)
    assert page.case_label == number and page.rows
    assert not any(r.entity_id in ids[b] for r in page.rows)
    last = _last(udb)
    assert (last.action, last.entity_id, last.username) == ("audit.case_history", str(a), judge.username)
    for actor, case in ((judge, b), (uusers[Role.MEDIATOR], a), (uusers[Role.FILING_CLERK], a)):
        with pytest.raises(PermissionDenied, match="无权查阅该案件的审计记录"):
            with udb.transaction() as s:
                audit_log.case_history(s, actor, case)
        last = _last(udb)
        assert (last.action, last.entity_id, last.username) == ("permission.denied", str(case), actor.username)
