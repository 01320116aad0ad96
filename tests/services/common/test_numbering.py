"""案号 assignment: gap-free and unique per court, year and type, even with concurrent sessions."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import ConflictError, KnownError, PermissionDenied
from baihe_desk.models import AuditRecord, Case, Role, Stage
from baihe_desk.services.common.numbering import assign_case_number, next_serial
from baihe_desk.storage.db import Database


def _case(s, n: int) -> Case:
    c = Case(receipt_number=f"2026收{n:05d}", received_on=date(2026, 11, 20), claims="x")
    s.add(c)
    s.flush()
    return c


def test_threads_get_gap_free_unique_serials(udb):
    threads, per_thread = 6, 20
    results: list[int] = []
    lock = threading.Lock()
    errors = []

    def worker():
        db = Database(udb.url)  # its own engine and connections, like a second workstation
        try:
            for _ in range(per_thread):
                with db.transaction() as s:
                    n = next_serial(s, court_code="吉7502", year=2026, type_code="民初")
                with lock:
                    results.append(n)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.dispose()

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, threads * per_thread + 1))


def test_rolled_back_number_is_reused_so_no_gap(udb):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with udb.transaction() as s:
            assert next_serial(s, court_code="吉7502", year=2026, type_code="民初") == 1
            raise Boom
    with udb.transaction() as s:
        assert next_serial(s, court_code="吉7502", year=2026, type_code="民初") == 1
        assert next_serial(s, court_code="吉7502", year=2026, type_code="民诉前调") == 1
        assert next_serial(s, court_code="吉7502", year=2027, type_code="民初") == 1
        assert next_serial(s, court_code="吉7502", year=2026, type_code="民初") == 2


def test_assign_case_number_formats_audits_and_refuses_twice(udb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    with udb.transaction() as s:
        case = _case(s, 1)
        num = assign_case_number(s, clerk, case, "民初", year=2026)
        assert num.format() == "（2026）吉7502民初1号"
        assert case.case_number == "（2026）吉7502民初1号"
        assert case.stage is Stage.FILED
        with pytest.raises(ConflictError) as info:
            assign_case_number(s, clerk, case, "民初", year=2026)
        assert info.value.message == "该案件已有案号 （2026）吉7502民初1号，不能重复分配。"
        other = _case(s, 2)
        with pytest.raises(KnownError) as unknown:
            assign_case_number(s, clerk, other, "民X", year=2026)
        assert unknown.value.message == "未知的类型代字“民X”。"
        special = assign_case_number(s, clerk, other, "民特", year=2026)  # not 民初: the case is not 立案 by it
        assert special.format() == "（2026）吉7502民特1号" and other.stage is Stage.RECEIVED
        case_id = case.id
    with udb.session() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.assign_number")
                        .order_by(AuditRecord.seq)).first()
        assert (rec.entity, rec.entity_id) == ("case", str(case_id))
        assert rec.before == {"case_number": None, "stage": "received"}
        assert rec.after == {"case_number": "（2026）吉7502民初1号", "stage": "filed"}
        assert rec.username == clerk.username


def test_mediator_cannot_assign_numbers_and_the_refusal_is_audited(udb, uusers):
    with pytest.raises(PermissionDenied, match="无权分配案号"):
        with udb.transaction() as s:
            case = _case(s, 2)
            assign_case_number(s, uusers[Role.MEDIATOR], case, "民初", year=2026)
    with udb.session() as s:
        denied = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")).all()
        assert [d.entity_id for d in denied] == ["case.number_assign"]


def test_a_case_in_pre_litigation_mediation_is_filed_under_a_new_min_chu_number(udb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    with udb.transaction() as s:
        case = _case(s, 3)
        case.stage = Stage.PRE_MEDIATION
        assign_case_number(s, clerk, case, "民诉前调", year=2026)
        assert case.case_number == "（2026）吉7502民诉前调1号"
        assign_case_number(s, clerk, case, "民初", year=2026)
        assert (case.case_number, case.stage) == ("（2026）吉7502民初1号", Stage.FILED)
        with pytest.raises(ConflictError):
            assign_case_number(s, clerk, case, "民初", year=2026)
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.assign_number")
                        .order_by(AuditRecord.seq.desc())).first()
        assert rec.before["case_number"] == "（2026）吉7502民诉前调1号"


@pytest.mark.parametrize("udb", ["sqlite"], indirect=True)
def test_no_number_before_the_court_code_is_set(udb):
    """Without a court profile, or with one whose 法院代字 is empty, no 案号 can be formed: a calm refusal
    that tells the administrator where to fill it in (and the counter is not touched)."""
    from baihe_desk.models import CaseNumberCounter, CourtProfile, User
    from baihe_desk.services.common.numbering import court_code_of

    with udb.session() as s, pytest.raises(KnownError) as info:
        court_code_of(s)
    assert info.value.message == "尚未设置法院信息（法院代字），请管理员在“系统管理”中填写后再分配案号。"
    with udb.transaction() as s:
        s.add(CourtProfile(name="吉林省白河林区基层法院", code=""))
        clerk = User(username="u_clerk", display_name="立案员", role=Role.FILING_CLERK, password_hash="x")
        s.add(clerk)
        case = _case(s, 1)
    with udb.transaction() as s, pytest.raises(KnownError, match="尚未设置法院信息"):
        assign_case_number(s, s.get(User, clerk.id), s.get(Case, case.id), "民初", year=2026)
    with udb.transaction() as s:
        s.scalars(select(CourtProfile)).one().code = "吉7502"
    with udb.session() as s:
        assert court_code_of(s) == "吉7502" and s.scalars(select(CaseNumberCounter)).all() == []


@pytest.mark.parametrize("udb", ["sqlite"], indirect=True)
def test_each_court_year_and_type_counts_on_its_own(udb):
    """A serial belongs to (court, year, type): a second court's, a second year's or a second type's
    first number is 1 again (案号 are numbered 按年度、按法院、按类型代字)."""
    with udb.transaction() as s:
        got = [next_serial(s, court_code=c, year=y, type_code=t) for c, y, t in [
            ("吉7502", 2026, "民初"), ("吉7502", 2026, "民初"), ("吉7503", 2026, "民初"), ("吉7502", 2025, "民初"),
            ("吉7502", 2026, "民特"), ("吉7502", 2026, "民初"), ("吉7503", 2026, "民初")]]
    assert got == [1, 2, 1, 1, 1, 3, 2]


def test_the_counter_row_records_when_it_last_gave_a_number(udb):
    """The counter's updated_at is the time of the last number given (the audit of a number's day)."""
    from datetime import UTC, datetime, timedelta

    from baihe_desk.models import CaseNumberCounter

    with udb.transaction() as s:
        next_serial(s, court_code="吉7502", year=2026, type_code="民初")
    with udb.session() as s:
        (row,) = s.scalars(select(CaseNumberCounter)).all()
        stamp = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
