"""Concurrency proof: 6 desk processes on the server (3 on one SQLite file) for 60 s of mixed work.

Afterwards, checked against every desk's journal: no duplicate or missing 收件号 / 民初 number, every save a
desk was told succeeded is in the database, no two saves were built on the same version of a record (so
nothing was overwritten unseen), every refused save was reported to its desk as a conflict naming who
changed the record, the file or server is intact and the audit chain verifies.

``BAIHE_SOAK_SECONDS`` shortens the run for a quick local try; CI runs the full 60 s.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import defaultdict

from sqlalchemy import select, text

from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.models.review import ComplaintReview, ReviewAnswer
from baihe_desk.services.common.audit import verify_chain
from baihe_desk.services.filing import complaint_review as cr
from tests.fake_today import children_on_this_clock
from tests.reliability.factories import make_case
from tests.storage.soak_worker import desk

SECONDS = float(os.environ.get("BAIHE_SOAK_SECONDS", "60"))
HOT_CASES = 4


def _hot_reviews(db, clerk) -> list[tuple[str, list[str]]]:
    hot = []
    for n in range(HOT_CASES):
        case_id = make_case(db, clerk, seed=900 + n)
        with db.transaction() as s:
            case = s.get(Case, case_id)
            review = cr.start_review(s, clerk, case, case.received_on)
            items = [row.item.id for row in cr.review_sheet(s, review)][:3]
            hot.append((str(review.id), items))
    return hot


def test_desks_soak_on_one_database(udb, uusers):
    processes = 6 if udb.sqlite_path is None else 3
    clerk = uusers[Role.FILING_CLERK]
    hot = _hot_reviews(udb, clerk)
    url = udb.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=desk, args=(url, str(clerk.id), w, SECONDS, hot, results))
               for w in range(processes)]
    with children_on_this_clock():
        for p in workers:
            p.start()
    reports = [results.get(timeout=SECONDS + 240) for _ in workers]
    for p in workers:
        p.join(timeout=60)
    assert [e for _w, _j, errs in reports for e in errs] == []
    journal = [entry for _w, j, _e in reports for entry in j]
    kinds = defaultdict(int)
    for entry in journal:
        kinds[entry[0]] += 1
    print(f"\n{udb.engine.dialect.name}: {processes} desks × {SECONDS:.0f} s: {dict(kinds)}")
    assert kinds["received"] >= processes and kinds["filed"] >= processes
    assert kinds["saved"] >= 10 and kinds["conflict"] >= 1  # the edits really collided

    with udb.session() as s:
        cases = list(s.scalars(select(Case)))
        received = {e[1] for e in journal if e[0] == "received"}
        assert received <= {str(c.id) for c in cases}  # every acknowledged intake is there
        assert len(cases) == len(received) + HOT_CASES
        receipts = sorted(int(c.receipt_number[-5:]) for c in cases)
        assert receipts == list(range(receipts[0], receipts[0] + len(cases)))  # gap-free, no duplicate
        filed = {e[1]: e[2] for e in journal if e[0] == "filed"}
        numbered = {str(c.id): c.case_number for c in cases if c.case_number}
        assert numbered == filed  # every acknowledged filing, with the number its desk was told
        serials = sorted(c.number_serial for c in cases if c.number_serial)
        assert serials == list(range(1, len(filed) + 1))

        for review_id, _items in hot:
            saves = sorted((e for e in journal if e[0] == "saved" and e[1] == review_id), key=lambda e: e[5])
            made = [e[5] for e in saves]
            assert len(made) == len(set(made))  # no two saves produced the same version
            for e in saves:
                assert e[5] == e[4] + 1  # each save built on the version just before it: nothing overwritten
            review = s.get(ComplaintReview, uuid.UUID(review_id))
            assert review.row_version == (made[-1] if made else 1)
            last = {}
            for e in saves:
                last[e[2]] = e[3]
            rows = {a.item_id: a.note for a in s.scalars(select(ReviewAnswer).where(
                ReviewAnswer.review_id == review.id))}
            for item, note in last.items():
                assert rows[item] == note  # the newest acknowledged save of each item is what is stored
        notes = set(s.scalars(select(AuditRecord.after["note"].as_string()).where(
            AuditRecord.action == "complaint_review.answer")))
        for e in journal:
            if e[0] == "saved":
                assert e[3] in notes  # audited
            if e[0] == "conflict":
                assert e[3] not in notes  # a refused save left no trace but the desk's message
                assert "已被" in e[5] and "没有保存" in e[5]
        assert verify_chain(s) == []
        if udb.sqlite_path is not None:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
