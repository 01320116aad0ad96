"""案号分配 — gap-free serial numbers per court, year and type code, safe under concurrency.

The counter row is incremented with ``UPDATE … RETURNING`` inside the caller's write transaction
(``BEGIN IMMEDIATE`` on SQLite, a row lock on PostgreSQL), so two workstations never get the same
number, and a rolled-back transaction gives its number back (no gaps).
"""

from __future__ import annotations

from sqlalchemy import Executable, select, update
from sqlalchemy.orm import Session

from baihe_desk.errors import ConflictError, KnownError
from baihe_desk.models import Case, CaseNumberCounter, CourtProfile, Stage, User, utcnow
from baihe_desk.services.common import audit
from baihe_desk.services.common.case_numbers import CaseNumber, load_case_types
from baihe_desk.services.common.permissions import Perm, require


def next_serial(session: Session, *, court_code: str, year: int, type_code: str) -> int:
    """Reserve and return the next serial for (court, year, type) in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    # the dialect's own INSERT … ON CONFLICT, imported when first needed: the PostgreSQL package
    # (with its asyncpg dialect) costs 0.3 s of every start otherwise
    row = {"court_code": court_code, "year": year, "type_code": type_code, "last_serial": 0}
    key = ["court_code", "year", "type_code"]
    create: Executable
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        create = sqlite_insert(CaseNumberCounter).values(row).on_conflict_do_nothing(index_elements=key)
    else:
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        create = postgresql_insert(CaseNumberCounter).values(row).on_conflict_do_nothing(index_elements=key)
    session.execute(create)
    serial = session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.court_code == court_code, CaseNumberCounter.year == year,
               CaseNumberCounter.type_code == type_code)
        .values(last_serial=CaseNumberCounter.last_serial + 1, updated_at=utcnow())
        .returning(CaseNumberCounter.last_serial)
    ).scalar_one()
    return int(serial)


def court_code_of(session: Session) -> str:
    court = session.scalar(select(CourtProfile).limit(1))
    if court is None or not court.code:
        raise KnownError("尚未设置法院信息（法院代字），请管理员在“系统管理”中填写后再分配案号。")
    return court.code


def assign_case_number(session: Session, actor: User, case: Case, type_code: str, *, year: int) -> CaseNumber:
    """Give ``case`` its 案号 of ``type_code`` for ``year`` (e.g. 民初 on 登记立案)."""
    require(session, actor, Perm.CASE_NUMBER_ASSIGN)
    # A case known by its 民诉前调 number while in pre-litigation mediation is filed under a 民初 number;
    # the mediation record keeps the 民诉前调 number.
    replacing_mediation = case.number_type == "民诉前调" and type_code == "民初"
    if case.case_number and not replacing_mediation:
        raise ConflictError(f"该案件已有案号 {case.case_number}，不能重复分配。")
    if type_code not in load_case_types():
        raise KnownError(f"未知的类型代字“{type_code}”。")
    court_code = court_code_of(session)
    serial = next_serial(session, court_code=court_code, year=year, type_code=type_code)
    number = CaseNumber(year=year, court_code=court_code, type_code=type_code, serial=serial)
    before = {"case_number": case.case_number, "stage": case.stage.value}
    case.case_number = number.format()
    case.number_year, case.number_type, case.number_serial = year, type_code, serial
    if type_code == "民初" and case.stage in (Stage.RECEIVED, Stage.CORRECTION, Stage.PRE_MEDIATION):
        case.stage = Stage.FILED
    session.flush()
    audit.record(session, actor, "case.assign_number", entity="case", entity_id=case.id, before=before,
                 after={"case_number": case.case_number, "stage": case.stage.value})
    return number
