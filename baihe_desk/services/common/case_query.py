"""案件查询 — the case list and search by party name (汉字 or pinyin), 案号/收件号 or address.

Returns plain rows for the UI's table model, a page at a time (offset/limit), so the list never
loads the whole table. Three ways to a page, all giving the same rows (tests compare them):

- no search text: the page's row ids come from a covering index of the sort order
  (``models.case.Case.__table_args__``); pages past the middle are read from the other end;
- search text on SQLite with the search index installed: the FTS5 trigram index
  (``storage.search_index``) finds the matching cases; sorted by 收件日期 only the matches of the
  days the page covers are sorted;
- search text on PostgreSQL: the search documents (``case_query_pg``, ``storage.search_pg``);
- otherwise (an index being rebuilt, odd characters): ``LIKE '%text%'`` on the base columns — the
  reference the indexes are tested against.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, Select, exists, func, literal_column, or_, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from baihe_desk.models import Address, Case, Party, PartyRole, Stage
from baihe_desk.services.common import case_query_pg
from baihe_desk.storage import search_index

SORT_COLUMNS = {
    "received_on": Case.received_on,
    "case_number": Case.case_number,
    "receipt_number": Case.receipt_number,
    "cause_name": Case.cause_name,
    "stage": Case.stage,
}
ROWID: ColumnClause[Any] = literal_column('"case".rowid')  # SQLite: the cheapest key (every index holds it)


def _key(session: Session) -> Any:
    """How a page names its rows: the rowid on SQLite, the primary key elsewhere."""
    return ROWID if session.get_bind().dialect.name == "sqlite" else Case.id


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    number: str  # 案号, or the 收件号 while none is assigned
    has_case_number: bool
    cause_name: str
    plaintiffs: str
    defendants: str
    stage: Stage
    received_on: date
    claim_amount: Decimal | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def normalize_query(text: str | None) -> str:
    return (text or "").strip()


def like_condition(text: str, *, fold_case: bool = False) -> ColumnElement[bool]:
    """The plain search: ``LIKE '%text%'`` on 案号, 收件号, party name, pinyin, 住所 and addresses.

    ``fold_case`` (PostgreSQL): ``ILIKE``, so that Latin letters match either case as SQLite's LIKE does;
    the pg_trgm GIN indexes of revision 0005 answer both.
    """
    pat = f"%{_escape_like(text)}%"
    pinyin = f"%{_escape_like(text.lower())}%"

    def like(column: Any, pattern: str) -> ColumnElement[bool]:
        return column.ilike(pattern, escape="\\") if fold_case else column.like(pattern, escape="\\")

    party_hit = exists().where(
        Party.case_id == Case.id,
        or_(like(Party.name, pat), like(Party.name_pinyin, pinyin), like(Party.domicile, pat)),
    )
    address_hit = exists().where(Party.case_id == Case.id, Address.party_id == Party.id, like(Address.text, pat))
    return or_(like(Case.case_number, pat), like(Case.receipt_number, pat), party_hit, address_hit)


def _on_documents(session: Session, text: str) -> bool:
    """PostgreSQL with its search documents (``storage.search_pg``, revision 0014)."""
    return session.get_bind().dialect.name == "postgresql" and case_query_pg.usable(session, text)


def _folds_case(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


def _order(sort: str, descending: bool) -> list[Any]:
    col = SORT_COLUMNS.get(sort, Case.received_on)
    if col is Case.receipt_number:
        return [col.desc() if descending else col.asc()]
    return [c.desc() if descending else c.asc() for c in (col, Case.receipt_number)]


def _plan(session: Session, text: str, use_index: bool) -> search_index.Plan | None:
    return search_index.plan(session, text) if use_index else None


FTS_SORT_LIMIT = 20_000  # more matches than this, sorted by anything but the date: scan the sort order


def count_cases(session: Session, text: str | None = None, *, use_index: bool = True) -> int:
    t = normalize_query(text)
    if not t:
        return session.scalar(select(func.count()).select_from(Case)) or 0
    if use_index and _on_documents(session, t):
        return case_query_pg.count(session, t)
    plan = _plan(session, t, use_index)
    if plan is None:
        return session.scalar(select(func.count()).select_from(Case)
                              .where(like_condition(t, fold_case=_folds_case(session)))) or 0
    if plan.kind == "scan":
        return session.scalar(sql(f"SELECT count(*) FROM {search_index.DOC_TABLE} d "
                                  f"WHERE {search_index.NEEDLE_SQL}"), {"needle": plan.needle}) or 0
    if not plan.expr:
        return 0
    return session.scalar(sql(f"SELECT count(*) FROM {search_index.FTS_TABLE} "
                              f"WHERE {search_index.FTS_TABLE} MATCH :q"), {"q": plan.expr}) or 0


def estimate_count(session: Session, text: str | None) -> int | None:
    """A quick estimate of ``count_cases(session, text)`` where the exact count reads every search document
    (a common 1–2 character query, growing with the file); None where the exact count is quick anyway.
    The case list shows it first (“共约 N 件”) and the exact count when it arrives (issue 21)."""
    t = normalize_query(text)
    if t and _on_documents(session, t):
        return case_query_pg.estimate(session, t, lambda: count_cases(session))
    plan = _plan(session, t, True) if t else None
    if plan is None or plan.kind != "scan":
        return None
    return search_index.estimate(session, plan.needle, count_cases(session))


def search_cases(
    session: Session,
    text: str | None = None,
    *,
    offset: int = 0,
    limit: int = 200,
    sort: str = "received_on",
    descending: bool = True,
    total: int | None = None,
    use_index: bool = True,
) -> list[CaseRow]:
    """One page of cases. ``total`` (the count, if known) lets deep pages be read from the end."""
    if limit <= 0 or offset < 0:
        return []
    t = normalize_query(text)
    if not t:
        return _rows(session, _page_of_all(session, offset, limit, sort, descending, total))
    if use_index and _on_documents(session, t):
        return _rows(session, case_query_pg.page(session, t, offset, limit, _order_columns(sort), descending))
    plan = _plan(session, t, use_index)
    if plan is None:
        stmt = select(_key(session)).select_from(Case).where(like_condition(t, fold_case=_folds_case(session)))
        ids = list(session.scalars(stmt.order_by(*_order(sort, descending)).offset(offset).limit(limit)))
    elif plan.kind == "fts" and not plan.expr:
        ids = []
    else:
        ids = _page_of_matches(session, plan, offset, limit, sort, descending)
    return _rows(session, ids)


def _page_of_all(session: Session, offset: int, limit: int, sort: str, descending: bool,
                 total: int | None) -> list[Any]:
    """Row ids of a page of the whole list, from the sort order's covering index."""
    reverse = total is not None and offset > total // 2
    if reverse:  # read the page from the other end: at most half the index is walked
        end = min(offset + limit, total or 0)
        offset, limit = max((total or 0) - end, 0), end - offset
        if limit <= 0:
            return []
    stmt: Select = select(_key(session)).select_from(Case).order_by(*_order(sort, descending != reverse))
    ids = list(session.scalars(stmt.offset(offset).limit(limit)))
    return ids[::-1] if reverse else ids


def _page_of_matches(session: Session, plan: search_index.Plan, offset: int, limit: int, sort: str,
                     descending: bool) -> list[int]:
    """Row ids of a page of the cases whose search document matches the plan."""
    fts, doc, shift = search_index.FTS_TABLE, search_index.DOC_TABLE, search_index.DAY_SHIFT
    direction = "DESC" if descending else "ASC"
    by_id = "ASC" if descending else "DESC"  # document ids count down with the receipt day
    order = ", ".join(f"c.{c} {direction}" for c in _order_columns(sort))
    params: dict[str, Any] = {"q": plan.expr, "needle": plan.needle, "limit": limit, "offset": offset}
    if _order_columns(sort)[0] == "received_on":
        # Documents are numbered by receipt day: only the days up to the one holding the
        # (offset+limit)-th match can be on this page; sort just those.
        if plan.kind == "fts":
            kth_sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q ORDER BY rowid {by_id} LIMIT 1 OFFSET :k"
        else:
            kth_sql = (f"SELECT d.id FROM {doc} d WHERE {search_index.NEEDLE_SQL} "
                       f"ORDER BY d.id {by_id} LIMIT 1 OFFSET :k")
        kth = session.scalar(sql(kth_sql), {**params, "k": offset + limit - 1})
        window = ""
        if kth is not None:
            day = kth >> shift  # the inverted day number of the kth match
            params["bound"] = (day + 1) << shift if descending else day << shift
            rowid = "f.rowid" if plan.kind == "fts" else "d.id"  # FTS5 must see the range itself
            window = f"AND {rowid} < :bound" if descending else f"AND {rowid} >= :bound"
        if plan.kind == "fts":
            query = (f'SELECT c.rowid FROM {fts} f CROSS JOIN {doc} d CROSS JOIN "case" c WHERE f.{fts} MATCH :q '
                     f"AND d.id = f.rowid {window} AND c.id = d.case_id ORDER BY {order} LIMIT :limit OFFSET :offset")
        else:
            query = (f'SELECT c.rowid FROM {doc} d CROSS JOIN "case" c WHERE {search_index.NEEDLE_SQL} {window} '
                     f"AND c.id = d.case_id ORDER BY {order} LIMIT :limit OFFSET :offset")
        return list(session.scalars(sql(query), params))
    if plan.kind == "fts" and session.scalar(sql(
            f"SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH :q LIMIT :cap)"),
            {"q": plan.expr, "cap": FTS_SORT_LIMIT + 1}) <= FTS_SORT_LIMIT:
        query = (f'SELECT c.rowid FROM {fts} f CROSS JOIN {doc} d CROSS JOIN "case" c WHERE f.{fts} MATCH :q '
                 f"AND d.id = f.rowid AND c.id = d.case_id ORDER BY {order} LIMIT :limit OFFSET :offset")
    else:  # many matches: walk the sort order's index and test each case's document
        query = (f'SELECT c.rowid FROM "case" c CROSS JOIN {doc} d WHERE d.case_id = c.id '
                 f"AND {search_index.NEEDLE_SQL} ORDER BY {order} LIMIT :limit OFFSET :offset")
    return list(session.scalars(sql(query), params))


def _order_columns(sort: str) -> list[str]:
    col = SORT_COLUMNS.get(sort, Case.received_on).key
    return [col] if col == "receipt_number" else [col, "receipt_number"]


def _rows(session: Session, ids: list[Any]) -> list[CaseRow]:
    """CaseRows for the given case row ids, in that order, with the party names."""
    if not ids:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _rows_sqlite(session, ids)
    return _rows_core(session, ids)


def _rows_core(session: Session, ids: list[Any]) -> list[CaseRow]:
    position = {key: i for i, key in enumerate(ids)}
    key = _key(session)
    conn = session.connection()  # Core execution: no ORM result machinery for plain rows
    found = sorted(conn.execute(
        select(key, Case.id, Case.case_number, Case.receipt_number, Case.cause_name, Case.stage,
               Case.received_on, Case.claim_amount).where(key.in_(ids))
    ).all(), key=lambda r: position[r[0]])
    names: dict[Any, dict[PartyRole, list[str]]] = {}
    for case_key, role, name in conn.execute(
        select(key, Party.role, Party.name).select_from(Case).join(Party, Party.case_id == Case.id)
        .where(key.in_(ids)).order_by(Party.sort_order)
    ):
        names.setdefault(case_key, {}).setdefault(role, []).append(name)
    return [_case_row(r[1], r[2], r[3], r[4], r[5], r[6], r[7], names.get(r[0], {})) for r in found]


def _case_row(id_: uuid.UUID, case_number: str | None, receipt_number: str, cause_name: str, stage: Stage,
              received_on: date, claim_amount: Decimal | None, names: dict[PartyRole, list[str]]) -> CaseRow:
    return CaseRow(
        id=id_, number=case_number or receipt_number, has_case_number=bool(case_number), cause_name=cause_name,
        plaintiffs="、".join(names.get(PartyRole.PLAINTIFF, [])),
        defendants="、".join(names.get(PartyRole.DEFENDANT, [])), stage=stage, received_on=received_on,
        claim_amount=claim_amount,
    )


_STAGE_BY_NAME = {s.name: s for s in Stage}
_ROLE_BY_NAME = {r.name: r for r in PartyRole}


def _rows_sqlite(session: Session, ids: list[Any]) -> list[CaseRow]:
    """The same rows read through the sqlite3 cursor: a page is ~200 cases and ~400 parties, and
    SQLAlchemy's per-row result processing cost more than the query (5 of 9 ms a page on 1M cases).
    The stored forms are the models' (tests compare both paths): UUID as 32 hex digits, enums by
    name, dates ISO, money as text."""
    marks = ",".join("?" * len(ids))
    cursor = session.connection().exec_driver_sql  # the caller's transaction and connection
    position = {key: i for i, key in enumerate(ids)}
    found = sorted(cursor(
        f'SELECT rowid, id, case_number, receipt_number, cause_name, stage, received_on, claim_amount '
        f'FROM "case" WHERE rowid IN ({marks})', tuple(ids)).fetchall(), key=lambda r: position[r[0]])
    names: dict[Any, dict[PartyRole, list[str]]] = {}
    for case_key, role, name in cursor(
        f'SELECT "case".rowid, party.role, party.name FROM "case" JOIN party ON party.case_id = "case".id '
        f'WHERE "case".rowid IN ({marks}) ORDER BY party.sort_order', tuple(ids)
    ).fetchall():
        names.setdefault(case_key, {}).setdefault(_ROLE_BY_NAME[role], []).append(name)
    from_iso, to_uuid = date.fromisoformat, uuid.UUID
    return [_case_row(to_uuid(hex=r[1]), r[2], r[3], r[4], _STAGE_BY_NAME[r[5]], from_iso(r[6]),
                      None if r[7] is None else Decimal(r[7]), names.get(r[0], {})) for r in found]
