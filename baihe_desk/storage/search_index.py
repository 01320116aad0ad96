"""全文检索索引 — the SQLite search index behind 案件查询 (party name, 案号/收件号, address).

One search document per case (table ``search_doc``) holds, ASCII-lower-cased and joined by U+001F,
the 案号, the 收件号, every party's name and 住所 and every address text of the case (column
``body``), and the parties' pinyin keys (column ``pinyin``). An FTS5 table with the trigram
tokenizer (``search_fts``, external content = ``search_doc``) indexes both columns; triggers on
``case``, ``party`` and ``address`` keep the documents in step with every write, whoever makes it
(intake, numbering, the service-address workflow, the demo loader, a repair script).

Why the results equal a plain ``LIKE '%q%'`` over the base columns (a test proves it):

- SQLite's LIKE folds ASCII letters only; the documents are ``lower()``-ed (ASCII only, like
  LIKE) and queries are ASCII-lower-cased, and the tokenizer is ``case_sensitive 1``.
- Values are separated by U+001F, which no query contains (such queries take the LIKE path), so
  a match never spans two values; an FTS5 phrase never spans two columns.
- Queries of 3+ characters are one phrase (consecutive trigrams = the substring).
- Queries of 1–2 characters: the trigram tokenizer cannot look them up (and SQLite 3.40's LIKE on
  a trigram table silently returns nothing for 1–2 CJK characters), but every document ends with
  two separators, so every occurrence of a 1–2 character string is the start of an indexed
  trigram: a rare query becomes the OR of the trigrams in the index vocabulary that start with
  it; a common one (in ≥ 1 % of the newest documents, where that OR would be thousands of terms)
  tests ``instr`` on the documents newest first and stops when the page is full.

Documents are numbered by receipt date, newest first: ``id = (LAST_DAY - day) << 22 | n`` (``day`` =
days since 0001-01-01 of ``case.received_on``), so FTS5 returns matches newest first in ascending
rowid order — the order it reads fast: the first 200 matches of "（2020" take 3.7 ms forwards and 21 ms
backwards (``ORDER BY rowid DESC``) on a million cases (revision 0003 renumbered the documents of
0002, which counted days upwards) — and a page of the default sort (收件日期) needs only the matches
of the days it covers.

``ddl()`` gives the statements for the Alembic migration; ``install(connection)`` runs them and
fills the index (skipping the FTS part where SQLite lacks FTS5 or the trigram tokenizer, < 3.34);
``rebuild(connection)`` refills it from the base tables (after a bulk load, or to repair). A batch
migration that recreates ``case``, ``party`` or ``address`` drops their triggers: run
``install`` again after it. Where the index is missing or incomplete (``installed`` is False:
PostgreSQL, an old SQLite, a rebuild in progress) the search uses LIKE — exact, only slower (a
trigram GIN index would be the PostgreSQL equivalent).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

SEP = "\x1f"
DAY_SHIFT = 22  # up to 4,194,303 cases received on one day
LAST_DAY = 3_652_058  # date(9999, 12, 31).toordinal() - 1: a document's day number is LAST_DAY - day
DOC_TABLE = "search_doc"
FTS_TABLE = "search_fts"
VOCAB_TABLE = "search_vocab"
INDEX_TABLES = (DOC_TABLE, FTS_TABLE, VOCAB_TABLE)  # plus FTS5's shadow tables search_fts_*
# PostgreSQL: pg_trgm GIN indexes behind the same LIKE search (revision 0005). ``ILIKE '%q%'`` with
# three or more characters is answered from them; one and two characters fall back to a scan.
TRGM_INDEXES = {
    "ix_case_case_number_trgm": ("case", "case_number"),
    "ix_case_receipt_number_trgm": ("case", "receipt_number"),
    "ix_party_name_trgm": ("party", "name"),
    "ix_party_name_pinyin_trgm": ("party", "name_pinyin"),
    "ix_party_domicile_trgm": ("party", "domicile"),
    "ix_address_text_trgm": ("address", "text"),
}
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only (what SQLite's LIKE and lower() fold)."""
    return text.translate(ASCII_LOWER)


def _day(date_sql: str) -> str:
    """The document-numbering day of a date: later days get smaller numbers (see the module doc)."""
    return f"({LAST_DAY} - CAST(julianday({date_sql}) - 1721425.5 AS INTEGER))"


def day_of(doc_id: int) -> int:
    """The receipt day of a document id, as ``date.toordinal() - 1``."""
    return LAST_DAY - (doc_id >> DAY_SHIFT)


def _body(case: str) -> str:
    """SQL for the ``body`` of the case whose id is the SQL expression ``case`` (which may name the
    outer query's ``c``; the subqueries use their own aliases ``sc``/``sp``/``sa``)."""
    return (
        "char(31) || coalesce((SELECT group_concat(v, char(31)) FROM ("
        f'SELECT lower(sc.case_number) AS v FROM "case" sc WHERE sc.id = {case} AND sc.case_number IS NOT NULL '
        f'UNION SELECT lower(sc.receipt_number) FROM "case" sc WHERE sc.id = {case} '
        f"UNION SELECT lower(sp.name) FROM party sp WHERE sp.case_id = {case} "
        f"UNION SELECT lower(sp.domicile) FROM party sp WHERE sp.case_id = {case} "
        f"UNION SELECT lower(sa.text) FROM party sp JOIN address sa ON sa.party_id = sp.id WHERE sp.case_id = {case}"
        ")), '') || char(31) || char(31)"
    )


def _pinyin(case: str) -> str:
    return ("char(31) || coalesce((SELECT group_concat(lower(sp.name_pinyin), char(31)) FROM party sp "
            f"WHERE sp.case_id = {case}), '') || char(31) || char(31)")


def _refresh(case: str) -> str:
    """Statements (for a trigger body) that bring the document of case ``case`` up to date."""
    day = _day("c.received_on")
    return (
        f"DELETE FROM {DOC_TABLE} WHERE case_id = {case} AND "
        f'(id >> {DAY_SHIFT}) IS NOT (SELECT {day} FROM "case" c WHERE c.id = {case});\n'
        f"UPDATE {DOC_TABLE} SET body = {_body(case)}, pinyin = {_pinyin(case)} WHERE case_id = {case};\n"
        f"INSERT INTO {DOC_TABLE} (id, case_id, body, pinyin) "
        f"SELECT coalesce((SELECT max(d.id) FROM {DOC_TABLE} d WHERE d.id >= ({day} << {DAY_SHIFT}) "
        f"AND d.id < (({day} + 1) << {DAY_SHIFT})), {day} << {DAY_SHIFT}) + 1, c.id, "
        f"{_body('c.id')}, {_pinyin('c.id')} "
        f'FROM "case" c WHERE c.id = {case} AND NOT EXISTS (SELECT 1 FROM {DOC_TABLE} WHERE case_id = {case});'
    )


def _trigger(name: str, event: str, table: str, body: str, when: str = "") -> str:
    when_sql = f" WHEN {when}" if when else ""
    return f'CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON "{table}"{when_sql} BEGIN\n{body}\nEND'


def _party_case(party: str) -> str:
    return f"(SELECT case_id FROM party WHERE id = {party})"


def trigger_ddl() -> list[str]:
    """The triggers: base tables → ``search_doc`` → ``search_fts``."""
    fts_insert = f"INSERT INTO {FTS_TABLE} (rowid, body, pinyin) VALUES (new.id, new.body, new.pinyin);"
    fts_delete = (f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, body, pinyin) "
                  "VALUES ('delete', old.id, old.body, old.pinyin);")
    return [
        _trigger("search_doc_ai", "INSERT", DOC_TABLE, fts_insert),
        _trigger("search_doc_ad", "DELETE", DOC_TABLE, fts_delete),
        _trigger("search_doc_au", "UPDATE", DOC_TABLE, fts_delete + "\n" + fts_insert),
        _trigger("search_case_ai", "INSERT", "case", _refresh("new.id")),
        _trigger("search_case_au", "UPDATE OF case_number, receipt_number, received_on", "case",
                 _refresh("new.id")),
        _trigger("search_case_ad", "DELETE", "case", f"DELETE FROM {DOC_TABLE} WHERE case_id = old.id;"),
        _trigger("search_party_ai", "INSERT", "party", _refresh("new.case_id")),
        _trigger("search_party_au", "UPDATE OF name, name_pinyin, domicile, case_id", "party",
                 _refresh("new.case_id") + "\n" + _refresh("old.case_id")),
        _trigger("search_party_ad", "DELETE", "party", _refresh("old.case_id")),
        _trigger("search_address_ai", "INSERT", "address", _refresh(_party_case("new.party_id"))),
        _trigger("search_address_au", "UPDATE OF text, party_id", "address",
                 _refresh(_party_case("new.party_id")) + "\n" + _refresh(_party_case("old.party_id"))),
        _trigger("search_address_ad", "DELETE", "address", _refresh(_party_case("old.party_id"))),
    ]


TRIGGERS = ("search_doc_ai", "search_doc_ad", "search_doc_au", "search_case_ai", "search_case_au",
            "search_case_ad", "search_party_ai", "search_party_au", "search_party_ad", "search_address_ai",
            "search_address_au", "search_address_ad")


def ddl() -> list[str]:
    """Every statement the migration runs (SQLite only; idempotent). Then call ``rebuild``."""
    return [
        f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} (id INTEGER PRIMARY KEY, case_id CHAR(32) NOT NULL UNIQUE, "
        "body TEXT NOT NULL DEFAULT '', pinyin TEXT NOT NULL DEFAULT '')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(body, pinyin, content='{DOC_TABLE}', "
        "content_rowid='id', tokenize='trigram case_sensitive 1')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'row')",
        *trigger_ddl(),
    ]


def drop_ddl() -> list[str]:
    """For the migration's downgrade."""
    return [*(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS), f"DROP TABLE IF EXISTS {VOCAB_TABLE}",
            f"DROP TABLE IF EXISTS {FTS_TABLE}", f"DROP TABLE IF EXISTS {DOC_TABLE}"]


def is_index_table(name: str) -> bool:
    """For Alembic's ``include_name``/``include_object``: tables autogenerate must leave alone."""
    return name in INDEX_TABLES or name.startswith(FTS_TABLE + "_") or name == "case_search"  # (search_pg)


# -- running the statements -------------------------------------------------------------------------

def _raw(connection: Any) -> Any:
    """The sqlite3 connection behind a SQLAlchemy Connection/Session, or the connection itself."""
    from baihe_desk.storage.encrypted import connection_types  # SQLCipher's connections are not sqlite3's

    if isinstance(connection, connection_types()):
        return connection
    if hasattr(connection, "connection") and hasattr(connection, "get_bind"):  # a Session
        connection = connection.connection()
    if getattr(connection, "dialect", None) is not None and connection.dialect.name != "sqlite":
        return None
    dbapi = connection.connection.dbapi_connection  # SQLAlchemy Connection → pool proxy → sqlite3
    return dbapi if isinstance(dbapi, connection_types()) else None


def _in_transaction(raw: sqlite3.Connection, fn: Callable[[], None]) -> None:
    """Run ``fn`` in a write transaction of its own, or inside the caller's open one."""
    if raw.in_transaction:
        fn()
        return
    raw.execute("BEGIN IMMEDIATE")
    try:
        fn()
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise


def _execute_all(raw: sqlite3.Connection, statements: Iterable[str]) -> None:
    for sql in statements:
        raw.execute(sql)


def installed(connection: Any) -> bool:
    """True when the search tables and every trigger exist (so the index is complete and kept)."""
    raw = _raw(connection)
    if raw is None:
        return False
    names = {r[0] for r in raw.execute(
        "SELECT name FROM sqlite_master WHERE name IN ({})".format(",".join("?" * (len(TRIGGERS) + 2))),
        (*TRIGGERS, DOC_TABLE, FTS_TABLE))}
    return len(names) == len(TRIGGERS) + 2


def available(connection: Any) -> bool:
    """SQLite with FTS5 and its trigram tokenizer (SQLite ≥ 3.34)?"""
    raw = _raw(connection)
    if raw is None:
        return False
    try:
        raw.execute("CREATE VIRTUAL TABLE temp.search_probe USING fts5(x, tokenize='trigram')")
        raw.execute("DROP TABLE temp.search_probe")
        return True
    except sqlite3.OperationalError:
        return False


def install(connection: Any, *, progress: Callable[[str], None] | None = None) -> bool:
    """Create everything (``ddl()``) and fill the index — what the migration should call (with
    ``op.get_bind()``), also for a database migrated before the index existed. Idempotent. Without
    FTS5/trigram nothing is made and the search keeps using LIKE."""
    raw = _raw(connection)
    if raw is None:
        return False
    if not available(raw):
        return False
    _in_transaction(raw, lambda: _execute_all(raw, ddl()))
    rebuild(raw, progress=progress)
    return True


def numbered_newest_first(connection: Any) -> bool:
    """Are the documents numbered as this code numbers them (days counting down)? True for an
    empty index. Revision 0003 renumbers an index that 0002's code filled the other way."""
    raw = _raw(connection)
    if raw is None or not _tables_exist(raw):
        return True
    row = raw.execute(f'SELECT d.id, c.received_on FROM {DOC_TABLE} d JOIN "case" c ON c.id = d.case_id '
                      "LIMIT 1").fetchone()
    if row is None:
        return True
    return day_of(row[0]) == date.fromisoformat(row[1]).toordinal() - 1


def suspend(connection: Any) -> None:
    """Before a bulk load: drop the triggers (the search uses LIKE until ``resume``)."""
    raw = _raw(connection)
    if raw is None or not _tables_exist(raw):
        return
    _in_transaction(raw, lambda: _execute_all(raw, (f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS)))


def resume(connection: Any, *, progress: Callable[[str], None] | None = None) -> None:
    """After a bulk load: rebuild the index and put the triggers back (if the index is installed)."""
    raw = _raw(connection)
    if raw is None or not _tables_exist(raw):
        return
    rebuild(raw, progress=progress)


def _tables_exist(raw: sqlite3.Connection) -> bool:
    return raw.execute("SELECT count(*) FROM sqlite_master WHERE name IN (?, ?)",
                       (DOC_TABLE, FTS_TABLE)).fetchone()[0] == 2


def rebuild(connection: Any, *, progress: Callable[[str], None] | None = None) -> None:
    """Fill ``search_doc`` and ``search_fts`` from the base tables in one transaction (the tables
    must exist: ``ddl()``). Also restores missing triggers. Minutes for a million cases."""
    raw = _raw(connection)
    if raw is None:
        return
    say = progress or (lambda _msg: None)
    day = _day("c.received_on")

    def work() -> None:
        _execute_all(raw, (f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS))
        say("正在整理检索文本…")
        raw.execute(f"DELETE FROM {DOC_TABLE}")
        raw.execute(
            f"INSERT INTO {DOC_TABLE} (id, case_id, body, pinyin) "
            f"SELECT ({day} << {DAY_SHIFT}) + row_number() OVER (PARTITION BY c.received_on "
            f"ORDER BY c.receipt_number), c.id, {_body('c.id')}, {_pinyin('c.id')} "
            'FROM "case" c'
        )
        say("正在建立全文索引…")
        raw.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
        raw.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
        _execute_all(raw, trigger_ddl())

    _in_transaction(raw, work)
    say("检索索引已更新。")


# -- queries ----------------------------------------------------------------------------------------

PROBE_DOCS = 4000  # a 1–2 character query is "common" when it is in at least PROBE_COMMON of the
PROBE_COMMON = 40  # newest PROBE_DOCS documents (≥ 1 %): scanning the documents finds a page fast
MAX_SHORT_TERMS = 1000  # more trigrams than this starting with a 1–2 character query: scan instead


@dataclass(frozen=True)
class Plan:
    """How to find the cases matching a query. ``kind`` "fts": ``expr`` is the FTS5 MATCH
    expression ("" = nothing matches); "scan": test ``needle`` against the documents in order
    (cheap when matches are common, and it reads only as far as the page)."""

    kind: str
    needle: str
    expr: str = ""


NEEDLE_SQL = "(instr(d.body, :needle) > 0 OR instr(d.pinyin, :needle) > 0)"  # d = search_doc


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def plan(connection: Any, text: str) -> Plan | None:
    """The plan for a substring query, or None when only LIKE can answer it exactly (no index, a
    database other than SQLite, non-ASCII case folding or control characters in the query)."""
    needle = ascii_lower(text)
    if not needle or needle != ascii_lower(text.lower()) or any(ch < " " for ch in needle):
        return None
    raw = _raw(connection)
    if raw is None or not installed(raw):
        return None
    if len(needle) >= 3:
        return Plan("fts", needle, _quote(needle))
    hits = _probe(raw, needle)
    if hits >= PROBE_COMMON:
        return Plan("scan", needle)
    terms = [r[0] for r in raw.execute(
        f"SELECT term FROM {VOCAB_TABLE} WHERE term >= ? AND term < ? LIMIT ?",
        (needle, needle + "\U0010ffff", MAX_SHORT_TERMS + 1))]
    if len(terms) > MAX_SHORT_TERMS:
        return Plan("scan", needle)
    return Plan("fts", needle, " OR ".join(_quote(t) for t in terms if t.startswith(needle)))


ESTIMATE_WINDOWS = 16  # the first, estimated count of a common 1–2 character query reads this many
ESTIMATE_RUN = 200  # runs of consecutive documents, spread evenly over the receipt days


def estimate(connection: Any, needle: str, total: int) -> int:
    """An estimate of how many of the ``total`` cases match ``needle`` (a "scan" plan, whose exact count
    reads every document: 0.6 s at a million cases): the share of matches among ESTIMATE_WINDOWS runs of
    ESTIMATE_RUN consecutive documents at evenly spread receipt days × ``total`` — a few milliseconds
    whatever the size of the file (issue 21). Days with many cases weigh as much as quiet ones."""
    raw = _raw(connection)
    # two queries: SQLite answers min() and max() alone from the b-tree's ends, both at once by a scan
    low = raw.execute(f"SELECT min(id) FROM {DOC_TABLE}").fetchone()[0]
    high = raw.execute(f"SELECT max(id) FROM {DOC_TABLE}").fetchone()[0]
    if low is None or not total:
        return 0
    step = (high - low) / ESTIMATE_WINDOWS
    sampled = hits = 0
    for i in range(ESTIMATE_WINDOWS):
        n, h = raw.execute(
            f"SELECT count(*), coalesce(sum({NEEDLE_SQL}), 0) FROM (SELECT body, pinyin FROM {DOC_TABLE} "
            f"WHERE id >= :lo ORDER BY id LIMIT :run) d", {"needle": needle, "lo": int(low + i * step),
                                                          "run": ESTIMATE_RUN}).fetchone()
        sampled, hits = sampled + n, hits + h
    return round(hits / sampled * total) if sampled else 0


def _probe(raw: sqlite3.Connection, needle: str) -> int:
    """How many of the newest PROBE_DOCS documents contain ``needle`` (at most PROBE_COMMON)."""
    return raw.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM (SELECT body, pinyin FROM {DOC_TABLE} ORDER BY id LIMIT :docs) d "
        f"WHERE {NEEDLE_SQL} LIMIT :enough)",
        {"needle": needle, "docs": PROBE_DOCS, "enough": PROBE_COMMON}).fetchone()[0]
