"""One desk process of tests/storage/test_soak.py, for ``seconds``: a clerk's mix of work, with a journal.

Each round picks one of: intake of a new complaint (a 收件号); its whole review ending in 登记立案 (a 民初
number); an edit of one of the shared "hot" reviews that every desk works on at once, sent with the
version this desk read a moment before (as a screen would); a search. The journal says, for each edit,
whether it was saved (with the version it was based on and the version it made) or refused as a conflict
(with the message the clerk would have seen); the test checks the database against the journals.
"""

from __future__ import annotations

import random
import time
import uuid


def desk(url: str, clerk_id: str, worker: int, seconds: float, hot: list[tuple[str, list[str]]],
         results) -> None:  # type: ignore[no-untyped-def]
    from baihe_desk.errors import KnownError
    from baihe_desk.models import Case, User
    from baihe_desk.models.review import Answer, ComplaintReview, ReviewOutcome
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.common.concurrency import EditConflict
    from baihe_desk.services.filing import complaint_review as cr
    from baihe_desk.services.filing.intake import create_case
    from baihe_desk.storage.db import Database
    from tests.reliability.factories import COURT_CODE, case_input

    rng = random.Random(worker)
    db = Database(url)
    journal: list[tuple] = []
    errors: list[str] = []
    waiting: list[str] = []  # cases received by this desk, not yet filed
    deadline = time.monotonic() + seconds
    i = 0
    try:
        with db.session() as s:
            clerk = s.get(User, uuid.UUID(clerk_id))
            s.expunge(clerk)
        while time.monotonic() < deadline:
            i += 1
            op = rng.random()
            try:
                if op < 0.2 or (op < 0.35 and not waiting):  # 收件登记
                    with db.transaction() as s:
                        case = create_case(s, clerk, case_input(worker * 100_000 + i), court_code=COURT_CODE)
                        journal.append(("received", str(case.id), case.receipt_number))
                        waiting.append(str(case.id))
                elif op < 0.35:  # 立案审查 to the end: 登记立案 takes a 民初 number
                    case_id = waiting.pop(0)
                    with db.transaction() as s:
                        case = s.get(Case, uuid.UUID(case_id))
                        review = cr.start_review(s, clerk, case, case.received_on)
                        for row in cr.review_sheet(s, review):
                            cr.answer(s, clerk, review, row.item.id, row.answer or Answer.PASS)
                        result = cr.finish(s, clerk, review, ReviewOutcome.REGISTERED, decided_on=case.received_on)
                        journal.append(("filed", case_id, result.case_number))
                elif op < 0.9:  # an edit of a case every desk is working on
                    review_id, items = rng.choice(hot)
                    with db.session() as s:  # the screen: what the clerk sees before deciding
                        shown = s.get(ComplaintReview, uuid.UUID(review_id)).row_version
                    time.sleep(rng.random() * 0.02)  # the clerk reads and types
                    item, note = rng.choice(items), f"w{worker}-{i}"
                    try:
                        with db.transaction() as s:
                            review = s.get(ComplaintReview, uuid.UUID(review_id))
                            cr.answer(s, clerk, review, item, rng.choice([Answer.PASS, Answer.FAIL]), note,
                                      expected_version=shown)
                            made = review.row_version
                        journal.append(("saved", review_id, item, note, shown, made))
                    except EditConflict as conflict:
                        journal.append(("conflict", review_id, item, note, shown, conflict.message))
                else:
                    with db.session() as s:
                        search_cases(s, rng.choice(["借款", "民初", "吉林省"]), limit=20)
                    journal.append(("search",))
            except KnownError as exc:  # e.g. locked for too long: the clerk would see it; the test fails on it
                errors.append(f"{type(exc).__name__}: {exc.message[:200]}")
            except Exception as exc:  # noqa: BLE001 - a bug: reported to the test, which fails on it
                errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        db.dispose()
        results.put((worker, journal, errors))
