"""Service-level measurements on the benchmark database: search, the case list pages, a month's
statistics — each beside a floor measured in the same run with bare sqlite3."""

from __future__ import annotations

import random
import sqlite3
from datetime import date

from baihe_desk.bench.data import KINDS, LENGTHS, sample_queries
from baihe_desk.bench.report import Report, Target, median, percentile, timed
from baihe_desk.storage.db import Database

PAGE = 200


def page_floor(db: Database, report: Report, runs: int = 30) -> None:
    """Bare sqlite3: one page of 200 cases by rowid plus their parties (the data a page shows)."""
    path = db.sqlite_path
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    top = con.execute('SELECT max(rowid) FROM "case"').fetchone()[0]
    rng = random.Random(7)
    walls = []
    for _ in range(runs):
        ids = [rng.randint(1, top) for _ in range(PAGE)]
        marks = ",".join("?" * len(ids))

        def read(ids=ids, marks=marks) -> None:
            con.execute(f'SELECT rowid, id, case_number, receipt_number, cause_name, stage, received_on, claim_amount '
                        f'FROM "case" WHERE rowid IN ({marks})', ids).fetchall()
            con.execute(f'SELECT c.rowid, p.role, p.name FROM "case" c JOIN party p ON p.case_id = c.id '
                        f'WHERE c.rowid IN ({marks}) ORDER BY p.sort_order', ids).fetchall()

        walls.append(timed(read)[0])
    count = timed(lambda: con.execute('SELECT count(*) FROM "case"').fetchone())[0]
    con.close()
    report.metric("floor_sqlite_page_200", median(walls), extra="bare sqlite3, 200 cases and their parties by rowid")
    report.metric("floor_sqlite_count_all", count, extra='bare sqlite3, SELECT count(*) FROM "case"')


def pg_page_floor(db: Database, report: Report, runs: int = 30) -> None:
    """Bare psycopg on the PostgreSQL benchmark database: 200 cases and their parties by id (the floor of
    the ``pg_`` rows, as ``floor_sqlite_page_200`` is of SQLite's)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(db.engine.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as con:
        ids = [r[0] for r in con.execute('SELECT id FROM "case" TABLESAMPLE SYSTEM (1) LIMIT %s', (PAGE * runs,))]
        walls = []
        for i in range(runs):
            chunk = ids[i * PAGE:(i + 1) * PAGE]

            def read(chunk=chunk) -> None:  # type: ignore[no-untyped-def]
                con.execute('SELECT id, case_number, receipt_number, cause_name, stage, received_on, claim_amount '
                            'FROM "case" WHERE id = ANY(%s)', (chunk,)).fetchall()
                con.execute('SELECT c.id, p.role, p.name FROM "case" c JOIN party p ON p.case_id = c.id '
                            'WHERE c.id = ANY(%s) ORDER BY p.sort_order', (chunk,)).fetchall()

            walls.append(timed(read)[0])
        count = timed(lambda: con.execute('SELECT count(*) FROM "case"').fetchone())[0]
    report.metric("floor_pg_page_200", median(walls), extra="bare psycopg, 200 cases and their parties by id")
    report.metric("floor_pg_count_all", count, extra='bare psycopg, SELECT count(*) FROM "case"')


def search(db: Database, report: Report, *, queries: int, counts: int, seed: int) -> None:
    """Search p50/p95 by kind and length through ``case_query`` (the list's own calls); on PostgreSQL the
    rows are named ``pg_search_…`` beside ``floor_pg_page_200``."""
    from baihe_desk.services.common import case_query
    from baihe_desk.storage import search_index

    prefix, floor = ("", "floor_sqlite_page_200") if db.is_sqlite else ("pg_", "floor_pg_page_200")

    with db.session() as s:
        for kind in KINDS:
            for length in LENGTHS:
                qs = sample_queries(db, kind, length, queries, seed)
                pages, cpus, count_walls, first_walls, plans = [], [], [], [], {}
                for i, q in enumerate(qs):
                    plan = search_index.plan(s, q)
                    key = "like" if plan is None else plan.kind
                    plans[key] = plans.get(key, 0) + 1
                    wall, cpu = timed(lambda q=q: case_query.search_cases(s, q, limit=PAGE))
                    pages.append(wall)
                    cpus.append(cpu)
                    if i < counts:
                        estimated: list = []
                        first = timed(lambda q=q, e=estimated: e.append(case_query.estimate_count(s, q)))[0]
                        exact = timed(lambda q=q: case_query.count_cases(s, q))[0]
                        count_walls.append(exact)
                        # what the list shows first: the estimate (共约 N 件) where there is one, else the count
                        first_walls.append(first + (exact if estimated[0] is None else 0.0))
                name = f"{prefix}search_{kind}_{length}ch"
                limit = 20.0 if length >= 3 else 150.0
                how = ", ".join(f"{k} {v}" for k, v in sorted(plans.items()))
                report.metric(f"{name}_p50", percentile(pages, 0.5), floor=floor,
                              extra=f"first page of {PAGE}, {len(qs)} queries; cpu {percentile(cpus, 0.5):.1f} ms")
                report.metric(f"{name}_p95", percentile(pages, 0.95), floor=floor,
                              target=Target(limit, text=f"p95 ≤ {limit:.0f} ms"),
                              extra=f"cpu {percentile(cpus, 0.95):.1f} ms; plans: {how}")
                report.metric(f"{name}_count_p50", percentile(count_walls, 0.5),
                              extra=f"exact 共 N 件, computed after the first page is shown; p95 "
                                    f"{percentile(count_walls, 0.95):.1f} ms, {len(count_walls)} queries")
                report.metric(f"{name}_count_shown_p95", percentile(first_walls, 0.95),
                              target=Target(150.0, text="≤ 150 ms") if length <= 2 else None,
                              extra="until the list shows a count: 共约 N 件 (estimate) where the exact count reads "
                                    "every document, else the exact count")


def case_list(db: Database, report: Report, runs: int = 5) -> None:
    """The list as its model asks for it: open (count + first page), a page at the end, sorting."""
    from baihe_desk.services.common import case_query

    with db.session() as s:
        total = case_query.count_cases(s)

        def open_list() -> None:
            case_query.count_cases(s)
            case_query.search_cases(s, limit=PAGE)

        def last_page() -> None:
            case_query.search_cases(s, offset=total - PAGE, limit=PAGE, total=total)

        def middle_page() -> None:
            case_query.search_cases(s, offset=total // 2, limit=PAGE, total=total)

        def sort_ascending() -> None:
            case_query.count_cases(s)
            case_query.search_cases(s, limit=PAGE, descending=False)

        for name, fn in (("list_open_service", open_list), ("list_last_page_service", last_page),
                         ("list_middle_page_service", middle_page), ("list_sort_date_service", sort_ascending)):
            walls = [timed(fn)[0] for _ in range(runs)]
            report.metric(name, median(walls), floor="floor_sqlite_page_200",
                          extra=f"median of {runs}, count + page" if "page" not in name else f"median of {runs}")


def _month(db: Database) -> date:
    """A complete month a year before the newest case (so it has a year-earlier comparison)."""
    from sqlalchemy import text

    with db.session() as s:
        last = s.execute(text('SELECT max(received_on) FROM "case"')).scalar()
    day = date.fromisoformat(str(last)) if last else date.today()
    return date(day.year - 1, day.month, 1)


def month_statistics_ms(db: Database, runs: int = 3) -> float | None:
    """Median ``statistics.compute`` of that month (ms), None if the service fails."""
    from baihe_desk.services.statistics import report as statistics

    period = statistics.period_of("month", _month(db))
    try:
        walls = []
        for _ in range(runs):
            with db.session() as s:
                walls.append(timed(lambda s=s: statistics.compute(s, period))[0])
    except Exception:  # noqa: BLE001 - reported as n/a
        return None
    return median(walls)


def month_statistics(db: Database, report: Report, runs: int = 3) -> None:
    """统计分析 for one month (``services.statistics.compute``), beside one indexed count in bare SQLite."""
    month = _month(db)
    con = sqlite3.connect(f"file:{db.sqlite_path}?mode=ro", uri=True)
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    floor = median([timed(lambda: con.execute(
        'SELECT count(*), sum(CAST(claim_amount AS REAL)) FROM "case" WHERE received_on >= ? AND received_on < ?',
        (month.isoformat(), end.isoformat())).fetchone())[0] for _ in range(runs)])
    con.close()
    report.metric("floor_sqlite_month_count", floor, extra="bare sqlite3: count and sum of one month's cases")
    value = month_statistics_ms(db, runs)
    report.metric("month_statistics", value, floor="floor_sqlite_month_count",
                  target=Target(300.0, text="≤ 300 ms"),
                  extra=f"statistics.compute for {month:%Y-%m}, median of {runs}")
