"""The case list and the search use the indexes they were built for (EXPLAIN QUERY PLAN, not timers).

Every statement the query service sends is captured and explained with its own parameters.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common import case_query
from baihe_desk.storage import search_index
from baihe_desk.storage.startup import open_database


@pytest.fixture(scope="module")
def pdb(tmp_path_factory):
    paths = Paths(tmp_path_factory.mktemp("plans") / "data").ensure()
    db = open_database(paths, LocalSettings())
    with db.transaction() as s:
        search_index.install(s)
    load_demo(db, cases=300, seed=5)
    with db.transaction() as s:
        s.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))  # the plans must not depend on statistics
    yield db
    db.dispose()


def plans_of(db, fn) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(statement, plan text) of every SELECT ``fn(session)`` runs."""
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with db.session() as s:
            fn(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    out = []
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in seen:
            rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
            out.append((statement, " | ".join(r[3] for r in rows)))
    return out


def plan_text(plans: list[tuple[str, str]], needle: str) -> str:
    found = [p for s, p in plans if needle in s]
    assert found, f"no statement with {needle!r}: {[s for s, _ in plans]}"
    return found[0]


@pytest.mark.parametrize(("sort", "index"), [
    ("received_on", "COVERING INDEX ix_case_received_receipt"),
    ("cause_name", "COVERING INDEX ix_case_cause_receipt"),
    ("stage", "COVERING INDEX ix_case_stage_receipt"),
    ("receipt_number", "COVERING INDEX sqlite_autoindex_case_"),
])
@pytest.mark.parametrize("descending", [True, False])
def test_list_pages_walk_a_covering_index_without_sorting(pdb, sort, index, descending):
    plans = plans_of(pdb, lambda s: case_query.search_cases(s, offset=150, limit=20, sort=sort,
                                                             descending=descending, total=300))
    page = plan_text(plans, "ORDER BY")
    assert index in page and "TEMP B-TREE" not in page, page
    rows = plan_text(plans, "party")
    assert "SEARCH case USING INTEGER PRIMARY KEY" in rows and "ix_party_case_id" in rows, rows


def test_count_of_the_whole_list_uses_an_index(pdb):
    plans = plans_of(pdb, lambda s: case_query.count_cases(s))
    assert "COVERING INDEX" in plans[0][1], plans


def test_long_query_uses_the_trigram_index_by_receipt_day(pdb):
    plans = plans_of(pdb, lambda s: case_query.search_cases(s, "吉林省", limit=20))
    kth = plan_text(plans, "LIMIT 1 OFFSET")
    assert "VIRTUAL TABLE INDEX" in kth and "M" in kth.split("INDEX")[1], kth
    page = plan_text(plans, "CROSS JOIN")
    assert page.startswith("SCAN f VIRTUAL TABLE INDEX"), page
    assert "SEARCH d USING INTEGER PRIMARY KEY" in page and "SEARCH c USING INDEX sqlite_autoindex_case_1" in page


def test_common_short_query_scans_documents_by_day_range(pdb, monkeypatch):
    monkeypatch.setattr(search_index, "PROBE_COMMON", 1)
    plans = plans_of(pdb, lambda s: case_query.search_cases(s, "号", offset=20, limit=20))
    page = plan_text(plans, "CROSS JOIN")
    assert "SEARCH d USING INTEGER PRIMARY KEY (rowid<?)" in page, page  # newest days have the smallest ids
    assert "SEARCH c USING INDEX sqlite_autoindex_case_1" in page, page


def test_other_sort_of_a_big_result_walks_the_sort_index(pdb, monkeypatch):
    monkeypatch.setattr(case_query, "FTS_SORT_LIMIT", 3)
    plans = plans_of(pdb, lambda s: case_query.search_cases(s, "吉林省", limit=20, sort="cause_name"))
    page = plan_text(plans, "CROSS JOIN")
    assert "ix_case_cause_receipt" in page and "TEMP B-TREE" not in page, page
    assert "SEARCH d USING INDEX sqlite_autoindex_search_doc_1 (case_id=?)" in page, page


@pytest.mark.parametrize(("column", "index"), [("filed_on", "ix_case_filed_on"), ("closed_on", "ix_case_closed_on")])
def test_month_ranges_use_the_date_indexes(pdb, column, index):
    with pdb.session() as s:
        plan = " | ".join(r[3] for r in s.execute(text(
            f'EXPLAIN QUERY PLAN SELECT count(*) FROM "case" WHERE {column} >= :a AND {column} < :b'),
            {"a": "2024-03-01", "b": "2024-04-01"}))
    assert index in plan, plan


BIG_TABLES = ("case", "party", "address", "service_attempt", "complaint_review", "mediation_case",
              "enforcement_consultation", "search_doc")


def _full_scans(plans: list[tuple[str, str]]) -> list[str]:
    """Plan steps that walk a whole big table or one of its indexes ("SCAN case …")."""
    out = []
    for statement, plan in plans:
        for part in plan.split(" | "):
            words = part.split()
            if len(words) >= 2 and words[0] == "SCAN" and words[1] in BIG_TABLES:
                out.append(f"{part} << {' '.join(statement.split())[:160]}")
    return out


def test_month_statistics_never_walk_a_whole_big_table(pdb):
    """Every statement of a month's statistics reads its rows through an index (date ranges,
    stage, ids), even without table statistics (sqlite_stat1 dropped): a million cases stay fast."""
    from datetime import date

    from baihe_desk.services.statistics import report as statistics

    plans = plans_of(pdb, lambda s: statistics.compute(s, statistics.period_of("month", date(2024, 3, 15)),
                                                       today=date(2026, 11, 26)))
    assert len(plans) > 15
    assert _full_scans(plans) == []
    used = " | ".join(plan for _, plan in plans)
    for index in ("ix_case_received_receipt", "ix_case_filed_on", "ix_case_closed_on", "ix_complaint_review_decided_on",
                  "ix_mediation_case_opened_on", "ix_enforcement_consultation_sent_on",
                  "ix_service_attempt_attempted_on"):
        assert index in used, index


def test_public_notice_clocks_start_from_the_notices(pdb):
    from datetime import date

    from baihe_desk.services.deadlines.clocks import ClockScope
    from baihe_desk.services.deadlines.clocks_service import public_notice_clocks

    plans = plans_of(pdb, lambda s: public_notice_clocks(s, ClockScope(today=date(2026, 11, 26), table=None)))
    assert _full_scans(plans) == [] and "ix_service_attempt_attempted_on" in plans[0][1], plans


def test_answer_clocks_start_from_the_recent_attempts(pdb):
    from datetime import date

    from baihe_desk.services.deadlines.clocks import ClockScope
    from baihe_desk.services.deadlines.clocks_answer import answer_clocks

    plans = plans_of(pdb, lambda s: answer_clocks(s, ClockScope(today=date(2026, 11, 26), table=None)))
    assert _full_scans(plans) == [] and "ix_service_attempt_attempted_on" in plans[0][1], plans
