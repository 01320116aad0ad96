"""案件查询 on PostgreSQL — one search document per case, kept by triggers, behind the same LIKE search.

Revision 0005 answered the search with pg_trgm indexes on each column (案号, 收件号, party names, pinyin,
住所, address texts) and an ``OR`` of ``EXISTS``: PostgreSQL hashes those sub-queries, so a common
string ("长白山") built the whole set of matching parties first (1.5–3 s on a million cases) and a rare
one walked the whole date index to fill a page (0.7–1 s). Here, as SQLite's ``search_doc`` does
(``search_index``), table ``case_search`` holds per case its 收件日期, 收件号 and one ``body``: the 案号,
the 收件号, every party's name, pinyin key and 住所 and every address text, joined by U+001F and
``lower()``-ed, with a trigram GIN index and an index in the list's default order. ``body LIKE
lower('%q%')`` equals ``ILIKE '%q%'`` on any of those columns (what ``like_condition`` asks): ILIKE
compares the ``lower()`` of both sides, and no query with U+001F or another control character comes here,
so a match never spans two values. ``case_query`` answers a rare string from the GIN index and a common
one by walking the date order until the page is full (a probe of the newest documents tells which).

Statement-level triggers with transition tables on ``case``, ``party`` and ``address`` refresh the
documents of the cases a statement touched, once per statement (a bulk insert of a thousand parties
refreshes their cases once); a deleted case takes its document with it (foreign key). ``install`` makes
the table, the function, the triggers and the documents of the cases already there.
"""

from __future__ import annotations

import weakref
from typing import Any

TABLE = "case_search"
SEP_SQL = "E'\\x1f'"
PROBE_DOCS = 4000  # a query is "common" when it is in at least PROBE_COMMON of the newest PROBE_DOCS
PROBE_COMMON = 40  # documents (≥ 1 %): walking the date order finds a page of 200 within ~20,000
PROBE_SHORT_WALK = 4  # a 1–2 character string in fewer of them (< 0.1 %): reading the table beats the walk

_BODY = (f"lower(concat_ws({SEP_SQL}, c.case_number, c.receipt_number, "
         f"(SELECT string_agg(concat_ws({SEP_SQL}, p.name, p.name_pinyin, p.domicile), {SEP_SQL} ORDER BY p.id) "
         f"FROM party p WHERE p.case_id = c.id), "
         f"(SELECT string_agg(a.text, {SEP_SQL} ORDER BY a.id) FROM address a JOIN party p ON p.id = a.party_id "
         f"WHERE p.case_id = c.id)))")

_REFRESH = f"""
CREATE OR REPLACE FUNCTION baihe_case_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO {TABLE} (case_id, received_on, receipt_number, body)
    SELECT c.id, c.received_on, c.receipt_number, {_BODY} FROM "case" c WHERE c.id = ANY(ids)
    ON CONFLICT (case_id) DO UPDATE SET received_on = EXCLUDED.received_on,
        receipt_number = EXCLUDED.receipt_number, body = EXCLUDED.body
$$"""

# (table, the cases of its changed rows as SQL over a transition table named {rows})
_SOURCES = {
    "case": "SELECT id FROM {rows}",
    "party": "SELECT case_id FROM {rows}",
    "address": "SELECT p.case_id FROM party p WHERE p.id IN (SELECT party_id FROM {rows})",
}
_EVENTS = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
           "delete": "OLD TABLE AS old_rows"}


def _trigger_function(table: str) -> str:
    source = _SOURCES[table]
    return f"""
CREATE OR REPLACE FUNCTION baihe_case_search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM baihe_case_search_refresh(ARRAY({source.format(rows="old_rows")}));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM baihe_case_search_refresh(ARRAY({source.format(rows="new_rows")}));
    END IF;
    RETURN NULL;
END $$"""


def ddl() -> list[str]:
    """The statements that make the search documents (PostgreSQL), their indexes and triggers."""
    out = [
        f'CREATE TABLE IF NOT EXISTS {TABLE} (case_id uuid PRIMARY KEY REFERENCES "case"(id) ON DELETE CASCADE, '
        f"received_on date NOT NULL, receipt_number varchar(40) NOT NULL, body text NOT NULL)",
        _REFRESH,
    ]
    for table in _SOURCES:
        out.append(_trigger_function(table))
        for event, referencing in _EVENTS.items():
            if table == "case" and event == "delete":
                continue  # the foreign key removes the document
            name = f"baihe_case_search_{table}_{event}"
            out.append(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
            out.append(f'CREATE TRIGGER {name} AFTER {event.upper()} ON "{table}" REFERENCING {referencing} '
                       f"FOR EACH STATEMENT EXECUTE FUNCTION baihe_case_search_{table}()")
    return out


def fill_sql() -> str:
    """Every case's document (after ``ddl``; also a repair)."""
    return (f"INSERT INTO {TABLE} (case_id, received_on, receipt_number, body) "
            f'SELECT c.id, c.received_on, c.receipt_number, {_BODY} FROM "case" c '
            f"ON CONFLICT (case_id) DO UPDATE SET received_on = EXCLUDED.received_on, "
            f"receipt_number = EXCLUDED.receipt_number, body = EXCLUDED.body")


INDEXES = (f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_body_trgm ON {TABLE} USING gin (body gin_trgm_ops)",
           f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_newest ON {TABLE} (received_on DESC, receipt_number DESC)")


def drop_sql() -> list[str]:
    out = []
    for table in _SOURCES:
        for event in _EVENTS:
            out.append(f'DROP TRIGGER IF EXISTS baihe_case_search_{table}_{event} ON "{table}"')
        out.append(f"DROP FUNCTION IF EXISTS baihe_case_search_{table}()")
    return [*out, "DROP FUNCTION IF EXISTS baihe_case_search_refresh(uuid[])", f"DROP TABLE IF EXISTS {TABLE}"]


def installed(session: Any) -> bool:
    """The search documents exist (PostgreSQL at revision 0014 or later); remembered per engine."""
    from sqlalchemy import text

    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    engine = getattr(bind, "engine", bind)
    known = _installed.get(engine)
    if known is None:
        known = _installed[engine] = session.execute(
            text("SELECT to_regclass(:t) IS NOT NULL"), {"t": TABLE}).scalar() is True
    return known


_installed: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()
