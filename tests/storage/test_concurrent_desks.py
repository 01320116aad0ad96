"""Several desk processes on one database at once: no duplicate or missing 收件号 / 案号, nothing lost,
the audit chain intact. On PostgreSQL the desks really run in parallel; on SQLite they queue for the
write lock (BEGIN IMMEDIATE), which is what several desks on one PC do."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import select

from baihe_desk.models import Case, Role
from baihe_desk.services.common.audit import verify_chain
from tests.fake_today import children_on_this_clock
from tests.storage.concurrency_worker import desk

ROUNDS = 12


def test_desks_in_parallel_number_every_case_once(udb, uusers):
    processes = 4 if udb.sqlite_path is None else 3
    clerk = uusers[Role.FILING_CLERK]
    url = udb.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=desk, args=(url, str(clerk.id), w, ROUNDS, results)) for w in range(processes)]
    with children_on_this_clock():
        for p in workers:
            p.start()
    reports = [results.get(timeout=240) for _ in workers]
    for p in workers:
        p.join(timeout=60)
    errors = [e for _w, _done, errs in reports for e in errs]
    assert errors == []
    created = {c for _w, done, _e in reports for c in done}
    total = processes * ROUNDS
    assert len(created) == total
    with udb.session() as s:
        cases = list(s.scalars(select(Case)))
        assert {str(c.id) for c in cases} == created  # every reported commit is there, nothing else
        receipts = sorted(int(c.receipt_number[-5:]) for c in cases)
        serials = sorted(c.number_serial for c in cases)
        assert receipts == list(range(receipts[0], receipts[0] + total))  # gap-free, no duplicate
        assert serials == list(range(1, total + 1))
        assert len({c.case_number for c in cases}) == total
        assert verify_chain(s) == []
