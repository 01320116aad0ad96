"""The case search gives the same cases on the SQLite file (FTS5 trigram index, revision 0002) and on the
PostgreSQL server (pg_trgm GIN indexes, revision 0005), for the kinds of text a clerk types.

Both databases are loaded with the same demo data (same seed); the queries are cut from the stored values
themselves, at 1, 2, 3 and 5 characters, plus Latin text in both cases, so the oracle is the other
database, not a list written by the code under test.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from baihe_desk.config import LocalSettings
from baihe_desk.models import Address, Case, Party
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common.case_query import count_cases, search_cases
from baihe_desk.storage.startup import open_database

SEED = 11
CASES = 400


@pytest.fixture(scope="module")
def both(tmp_path_factory, pg_server):
    from baihe_desk.config import Paths

    lite = open_database(Paths(tmp_path_factory.mktemp("lite")).ensure(), LocalSettings())
    url = pg_server.fresh_database()
    server = open_database(Paths(tmp_path_factory.mktemp("pg")).ensure(), LocalSettings(database_url=url))
    for db in (lite, server):
        load_demo(db, cases=CASES, seed=SEED)
        with db.transaction() as s:  # Latin letters in either case, as in some company names
            first = s.scalars(select(Party).join(Case).order_by(Case.receipt_number, Party.sort_order).limit(3))
            for prefix, party in zip(("ABC", "abc", "Abc"), first, strict=True):
                party.name = prefix + party.name
    yield lite, server
    lite.dispose()
    server.dispose()
    pg_server.drop(url)


def _queries(db) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    with db.session() as s:
        names = list(s.scalars(select(Party.name)))
        numbers = [n for n in s.scalars(select(Case.case_number)) if n]
        receipts = list(s.scalars(select(Case.receipt_number)))
        addresses = [a for a in s.scalars(select(Address.text)) if a]
        pinyin = [p for p in s.scalars(select(Party.name_pinyin)) if p]
    out = []
    for pool in (names, numbers, receipts, addresses):
        for size in (1, 2, 3, 5):
            for _ in range(4):
                value = rng.choice(pool)
                if len(value) >= size:
                    start = rng.randrange(0, len(value) - size + 1)
                    out.append(value[start:start + size])
    for _ in range(6):
        key = rng.choice(pinyin).split()[0] if rng.choice(pinyin).split() else "zh"
        out.append(key[:3])
    out += ["有限公司", "吉7502", "（2026）", "民初", "长白山", "ZH", "zh", "Zh", "ABC", "abc", "bC", "%", "_", "\\", "不存在的名字"]
    return out


def test_the_same_cases_on_sqlite_and_on_postgresql(both):
    lite, server = both
    queries = _queries(lite)
    assert len(queries) > 60
    differing = []
    matched = 0
    for q in queries:
        with lite.session() as s:
            on_lite = {r.number for r in search_cases(s, q, limit=CASES * 2)}
            lite_count = count_cases(s, q)
        with server.session() as s:
            on_server = {r.number for r in search_cases(s, q, limit=CASES * 2)}
            server_count = count_cases(s, q)
        matched += bool(on_lite)
        if on_lite != on_server or lite_count != server_count or lite_count != len(on_lite):
            differing.append((q, len(on_lite), len(on_server), lite_count, server_count))
    assert differing == []
    assert matched > len(queries) // 2  # the query set really finds cases, not only empty answers
    with lite.session() as s:
        # SQLite's LIKE folds ASCII letters (the three renamed parties are found by any spelling): so must the server
        assert count_cases(s, "aBc") == count_cases(s, "ABC") == count_cases(s, "abc") >= 2


def test_both_databases_hold_the_same_demo_cases(both):
    lite, server = both
    sets = []
    for db in both:
        with db.session() as s:
            sets.append(sorted((c.receipt_number, c.case_number or "") for c in s.scalars(select(Case))))
    assert sets[0] == sets[1] and len(sets[0]) == CASES
