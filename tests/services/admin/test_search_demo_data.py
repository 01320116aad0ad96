"""演示数据 for benchmarks: the fast loader writes what the ORM would (counts, storage format,
numbers, realism), keeps the search index in step, continues the case-number counters, and cancels."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from baihe_desk.models import Address, Case, CaseNumberCounter, Party, Stage
from baihe_desk.models.service_address import AddressVerification, ServiceAddress
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.admin.demo_rows import TABLES
from baihe_desk.services.common import case_query
from baihe_desk.services.common.numbering import next_serial
from baihe_desk.services.statistics.report import compute, period_of
from baihe_desk.storage import search_index
from tests.fake_today import travel_to

FIRST_OF_MONTH = date(2026, 11, 1)  # the demo's "today": a Sunday, the first day of its month


@pytest.fixture(autouse=True, scope="module")
def _on_a_day_after_the_data():
    """The data here are dated (up to FIRST_OF_MONTH) and the desk refuses a date later than today, so these tests run
    on a fixed day after them, never on the real (or a --fake-today) calendar day."""
    with travel_to(FIRST_OF_MONTH):
        yield



def test_demo_counts_realism_and_numbers(udb, udata):
    result = load_demo(udb, cases=1500, seed=3, today=FIRST_OF_MONTH, paths=udata)
    assert result.cases == 1500 and len(result.users) == 11  # one per role, and two more mediators
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1500
        parties = s.scalar(select(func.count()).select_from(Party))
        assert s.scalar(select(func.count()).select_from(Address)) == parties
        per_case = Counter(s.scalars(select(Party.case_id)))
        assert set(per_case.values()) <= {2, 3, 4} and len(per_case) == 1500
        assert {st for st in s.scalars(select(Case.stage).distinct())} == set(Stage)
        first, last = s.execute(select(func.min(Case.received_on), func.max(Case.received_on))).one()
        assert first >= date(FIRST_OF_MONTH.year - 10, 1, 1) and last <= FIRST_OF_MONTH
        assert len({d.year for d in s.scalars(select(Case.received_on))}) == 11  # ten years and this one
        names = list(s.scalars(select(Party.name)))
        assert any(ch in name for name in names for ch in dd.RARE_GIVEN)  # 堃 䶮 …
        for text_ in s.scalars(select(Address.text).limit(300)):
            county = next(c for _, _, c in dd.REGIONS if c in text_)
            assert text_.startswith("吉林省") and any(t in text_ for t in dd.TOWNS_BY_COUNTY[county].split())
        numbers = list(s.scalars(select(Case.case_number).where(Case.case_number.is_not(None))))
        assert len(numbers) == len(set(numbers))
        serials = {}
        for year, type_code, serial in s.execute(select(Case.number_year, Case.number_type, Case.number_serial)
                                                 .where(Case.case_number.is_not(None))):
            serials[(year, type_code)] = max(serials.get((year, type_code), 0), serial)
        counters = {(c.year, c.type_code): c.last_serial for c in s.scalars(select(CaseNumberCounter))}
        # a 民诉前调 number stays with its mediation record when the case is filed (民初) after it failed
        assert all(counters[k] == v if k[1] == "民初" else counters[k] >= v for k, v in serials.items())
        # numbers follow the calendar: within a year, a later 民初 serial was not received earlier
        rows = s.execute(select(Case.number_serial, Case.received_on).where(Case.number_type == "民初",
                                                                           Case.number_year == 2020)
                         .order_by(Case.number_serial)).all()
        assert [r.received_on for r in rows] == sorted(r.received_on for r in rows)
        # even on the first day of a month, its statistics count every workflow (on both databases)
        r = compute(s, period_of("month", FIRST_OF_MONTH), today=FIRST_OF_MONTH)
        figures = [r.received, r.mediation_opened, r.mediation_succeeded + r.mediation_failed, r.corrections.den,
                   r.consult_sent, r.consult_replied, r.explanation_requests, r.explanation_accepted.den]
        assert all(figures), figures
    with udb.transaction() as s:  # a real number continues after the demo's
        year, type_code = max(serials)
        assert next_serial(s, court_code="吉7502", year=year, type_code=type_code) == counters[(year, type_code)] + 1


def test_rows_are_stored_exactly_as_the_orm_stores_them(udb_sqlite):
    load_demo(udb_sqlite, cases=60, seed=4)
    dialect = udb_sqlite.engine.dialect
    with udb_sqlite.session() as s:
        for name, (table, _cols) in TABLES.items():
            raw_rows = s.execute(text(f'SELECT * FROM "{name}" LIMIT 40')).mappings().all()
            orm = {"case": Case, "party": Party, "address": Address, "service_address": ServiceAddress,
                   "address_verification": AddressVerification}[name]
            for raw in raw_rows:
                obj = s.get(orm, orm.id.type.python_type(raw["id"]))  # the ORM reads every value back
                for column in table.columns:
                    value = getattr(obj, column.key)
                    proc = column.type.dialect_impl(dialect).bind_processor(dialect)
                    stored = proc(value) if proc else value
                    if hasattr(stored, "isoformat"):
                        stored = stored.isoformat(" ") if hasattr(stored, "hour") else stored.isoformat()
                    assert stored == raw[column.name], (name, column.name, stored, raw[column.name])


def test_demo_keeps_the_search_index_and_can_be_cancelled(udb_sqlite):
    with udb_sqlite.transaction() as s:
        search_index.install(s)
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2  # cancel after the second batch

    from baihe_desk.services.admin import demo

    demo.BATCH, old = 100, demo.BATCH
    try:
        result = load_demo(udb_sqlite, cases=1000, seed=9, progress=progress)
    finally:
        demo.BATCH = old
    assert result.cases == 200 and calls == [100, 200]
    with udb_sqlite.session() as s:
        assert search_index.installed(s)
        assert s.execute(text(f"SELECT count(*) FROM {search_index.DOC_TABLE}")).scalar() == 200
        name = s.scalar(select(Party.name).limit(1))
        assert case_query.count_cases(s, name) == case_query.count_cases(s, name, use_index=False) >= 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL again after the bulk settings
        indexes = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type='index'"))}
        assert {"ix_party_name", "ix_address_text", "ix_case_received_receipt"} <= indexes


def test_large_loads_rebuild_the_dropped_indexes(udb_sqlite, monkeypatch):
    from baihe_desk.services.admin import demo

    monkeypatch.setattr(demo, "BUILD_INDEXES_AFTER", 10)
    with udb_sqlite.session() as s:
        before = sorted(s.execute(text("SELECT name, sql FROM sqlite_master WHERE type='index'")).all())
    load_demo(udb_sqlite, cases=50, seed=2)
    with udb_sqlite.session() as s:
        assert sorted(s.execute(text("SELECT name, sql FROM sqlite_master WHERE type='index'")).all()) == before


def test_a_killed_load_is_repaired(udb_sqlite):
    """A large load killed between dropping the indexes and building them again (and before the
    search index was rebuilt) leaves a note beside the database; the next load or ``repair`` finishes."""
    from baihe_desk.services.admin import demo

    with udb_sqlite.transaction() as s:
        search_index.install(s)
    load_demo(udb_sqlite, cases=30, seed=1)
    with udb_sqlite.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        statements = demo._drop_secondary_indexes(raw, demo._pending_file(udb_sqlite))  # as the killed load did
        search_index.suspend(raw)
    assert statements and demo._pending_file(udb_sqlite).exists()
    with udb_sqlite.session() as s:
        assert not search_index.installed(s)
    demo.repair(udb_sqlite)
    assert not demo._pending_file(udb_sqlite).exists()
    with udb_sqlite.session() as s:
        indexes = {r[0] for r in s.execute(text("SELECT sql FROM sqlite_master WHERE type='index'"))}
        assert set(statements) <= indexes
        assert search_index.installed(s)
        assert s.execute(text(f"SELECT count(*) FROM {search_index.DOC_TABLE}")).scalar() == 30


def test_a_batch_of_old_cases_without_service_addresses_loads(udb, monkeypatch):
    """A million-case demo starts with years of closed cases: their batches have no 送达地址 rows. On
    PostgreSQL an insert given an empty list of rows inserted one row of defaults and the load died
    (null case_id); a batch with nothing for a table now inserts nothing there."""
    from baihe_desk.services.admin import demo_rows

    real = demo_rows.RowMaker.batch

    def closed_only(self, n):  # type: ignore[no-untyped-def]
        cases, parties, addresses, _served, _verified = real(self, n)
        return cases, parties, addresses, [], []

    monkeypatch.setattr(demo_rows.RowMaker, "batch", closed_only)
    load_demo(udb, cases=30, seed=4)
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 30
        assert s.scalar(select(func.count()).select_from(ServiceAddress)) == 0
        assert s.scalar(select(func.count()).select_from(AddressVerification)) == 0
