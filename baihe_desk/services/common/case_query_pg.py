"""案件查询 on PostgreSQL from the search documents (``storage.search_pg``): pages, counts, estimates.

A rare string (in fewer than 1 % of the newest 4,000 documents, and at most 5,000 matches in all) is
looked up in the trigram index and its matches sorted; a common one walks the list's order and tests each
document until the page is full. The probe that tells them apart reads at most those 4,000 documents. Both give the rows of
``like_condition`` (tests compare them); a query with a control character never comes here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from baihe_desk.storage import search_pg

TABLE = search_pg.TABLE
LIKE = "LIKE lower(:pat) ESCAPE '\\'"
NEWEST = f"SELECT body FROM {TABLE} ORDER BY received_on DESC, receipt_number DESC LIMIT :docs"


def usable(session: Session, text: str) -> bool:
    return not any(ch < " " for ch in text) and search_pg.installed(session)


def _params(text: str, **more: Any) -> dict[str, Any]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"pat": f"%{escaped}%", "docs": search_pg.PROBE_DOCS, **more}


def common(session: Session, text: str) -> bool:
    """In at least 1 % of the newest documents (a page is found fast by walking the order)."""
    hits = session.scalar(sql(f"SELECT count(*) FROM (SELECT 1 FROM ({NEWEST}) d WHERE body {LIKE} LIMIT :enough) x"),
                          _params(text, enough=search_pg.PROBE_COMMON))
    return (hits or 0) >= search_pg.PROBE_COMMON


def short(text: str) -> bool:
    """One or two characters: no trigram to look up, the index cannot help (it would read all of itself)."""
    return len(text) < 3


def count(session: Session, text: str) -> int:
    # a short string reads the table ("|| ''" keeps the planner off the trigram index, which it would read whole)
    body = "(body || '')" if short(text) else "body"
    return session.scalar(sql(f"SELECT count(*) FROM {TABLE} WHERE {body} {LIKE}"), _params(text)) or 0


def estimate(session: Session, text: str, total: Callable[[], int]) -> int | None:
    """共约 N 件 for a common string or any short one found among the newest documents (its share of them ×
    all cases, ``total()``: a short string's exact count reads every document); None otherwise, where the
    exact count comes from the index at once (or, for a short string not among the newest, takes its time)."""
    if not short(text) and not common(session, text):
        return None
    hits = session.scalar(sql(f"SELECT count(*) FROM ({NEWEST}) d WHERE body {LIKE}"), _params(text)) or 0
    if not hits:
        return None
    # the table's size as the statistics know it (an estimate anyway; a count of a million rows is 50 ms)
    known = session.scalar(sql("""SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('"case"')"""))
    everything = int(known) if known is not None and known > 0 else total()
    return round(hits / min(search_pg.PROBE_DOCS, max(everything, 1)) * everything)


FEW = 5000  # a string with at most this many matches: fetch them all from the trigram index and sort them


def page(session: Session, text: str, offset: int, limit: int, order_columns: list[str],
         descending: bool) -> list[uuid.UUID]:
    """Case ids of a page of the matches, in the list's order (``order_columns`` of ``case``).

    Three or more characters, not common among the newest documents: its matches from the trigram index,
    at most FEW of them, sorted (a string rare today may still be in 100,000 old cases: then the walk
    below). One or two characters (no trigram to look up) in fewer than 0.1 % of the newest documents: the
    table is read (in parallel) and the few matches sorted. Otherwise: the list's order is walked, each
    document tested, until the page is full; the planner is told not to scan the whole table and sort
    instead (it cannot know how common the string is)."""
    direction = "DESC" if descending else "ASC"
    params = _params(text, limit=limit, offset=offset, cap=FEW + 1)
    by_date = order_columns == ["received_on", "receipt_number"]
    order = ", ".join(f"{'s' if by_date else 'c'}.{column} {direction}" for column in order_columns)

    def ordered(body: str) -> str:  # the page of the documents whose ``body`` matches, in the list's order
        if by_date:
            return f"SELECT s.case_id FROM {TABLE} s WHERE {body} {LIKE} ORDER BY {order} LIMIT :limit OFFSET :offset"
        return (f'SELECT c.id FROM "case" c JOIN {TABLE} s ON s.case_id = c.id WHERE {body} {LIKE} '
                f"ORDER BY {order} LIMIT :limit OFFSET :offset")

    if not short(text) and not common(session, text):
        source = "m s" if by_date else 'm JOIN "case" c ON c.id = m.case_id'
        found, ids = session.execute(sql(
            f"WITH m AS MATERIALIZED (SELECT case_id, received_on, receipt_number FROM {TABLE} WHERE body {LIKE} "
            f"LIMIT :cap) SELECT (SELECT count(*) FROM m), "
            f"array(SELECT {'s.case_id' if by_date else 'c.id'} FROM {source} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset)"), params).one()
        if found <= FEW:
            return list(ids)
    elif short(text) and session.scalar(sql(f"SELECT count(*) FROM ({NEWEST}) d WHERE body {LIKE}"),
                                         params) < search_pg.PROBE_SHORT_WALK:
        # "|| ''": no indexed expression, so the planner reads the table rather than the whole trigram index
        return list(session.scalars(sql(ordered("(s.body || '')")), params))
    session.execute(sql("SET enable_seqscan = off"))  # (read sessions autocommit: SET LOCAL would not last)
    session.execute(sql("SET enable_bitmapscan = off"))
    try:
        return list(session.scalars(sql(ordered("s.body")), params))
    finally:
        session.execute(sql("RESET enable_seqscan"))
        session.execute(sql("RESET enable_bitmapscan"))
