"""案件查询 on PostgreSQL from the search documents (``storage.search_pg``): pages, counts, estimates.

A rare string (in fewer than 1 % of the newest 4,000 documents) is looked up in the trigram index and
its few matches sorted; a common one walks the list's order and tests each document until the page is
full. The probe that tells them apart reads at most those 4,000 documents. Both give the rows of
``like_condition`` (tests compare them); a query with a control character never comes here.
"""

from __future__ import annotations

import uuid
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


def count(session: Session, text: str) -> int:
    return session.scalar(sql(f"SELECT count(*) FROM {TABLE} WHERE body {LIKE}"), _params(text)) or 0


def estimate(session: Session, text: str, total: int) -> int | None:
    """共约 N 件 for a common string (its share of the newest documents × all cases); None for a rare one,
    whose exact count comes from the index at once."""
    if not common(session, text):
        return None
    hits = session.scalar(sql(f"SELECT count(*) FROM ({NEWEST}) d WHERE body {LIKE}"), _params(text)) or 0
    return round(hits / min(search_pg.PROBE_DOCS, max(total, 1)) * total)


def page(session: Session, text: str, offset: int, limit: int, order_columns: list[str],
         descending: bool) -> list[uuid.UUID]:
    """Case ids of a page of the matches, in the list's order (``order_columns`` of ``case``)."""
    direction = "DESC" if descending else "ASC"
    params = _params(text, limit=limit, offset=offset)
    walk = common(session, text)
    # walking: "body || ''" is no indexed expression, so the planner follows the order's index
    match = f"(s.body || '') {LIKE}" if walk else f"s.body {LIKE}"
    if order_columns == ["received_on", "receipt_number"]:
        order = f"s.received_on {direction}, s.receipt_number {direction}"
        if walk:
            query = f"SELECT s.case_id FROM {TABLE} s WHERE {match} ORDER BY {order} LIMIT :limit OFFSET :offset"
        else:
            query = (f"WITH s AS MATERIALIZED (SELECT case_id, received_on, receipt_number FROM {TABLE} s "
                     f"WHERE {match}) SELECT s.case_id FROM s ORDER BY {order} LIMIT :limit OFFSET :offset")
        return list(session.scalars(sql(query), params))
    order = ", ".join(f"c.{column} {direction}" for column in order_columns)
    if walk:
        query = (f'SELECT c.id FROM "case" c JOIN {TABLE} s ON s.case_id = c.id WHERE {match} '
                 f"ORDER BY {order} LIMIT :limit OFFSET :offset")
    else:
        query = (f"WITH m AS MATERIALIZED (SELECT case_id FROM {TABLE} s WHERE {match}) "
                 f'SELECT c.id FROM "case" c JOIN m ON m.case_id = c.id ORDER BY {order} LIMIT :limit OFFSET :offset')
    return list(session.scalars(sql(query), params))
