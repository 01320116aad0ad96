"""One desk process of tests/storage/test_soak.py, for ``seconds``: a clerk's mix of work (the operations of
``baihe_desk.bench.window_mix``, which the load benchmark runs too), with a journal.

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

# the window's mix (baihe_desk/bench/window_mix.py) without the list, edits more often: the conflicts are the point
SOAK_MIX = (("intake", 0.2), ("file", 0.35), ("edit", 0.9), ("search", 1.0))


def desk(url: str, clerk_id: str, worker: int, seconds: float, hot: list[tuple[str, list[str]]],
         results) -> None:  # type: ignore[no-untyped-def]
    from baihe_desk.bench import window_mix
    from baihe_desk.errors import KnownError
    from baihe_desk.models import User
    from baihe_desk.models.review import Answer
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.common.concurrency import EditConflict
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
            op = window_mix.choose(rng, SOAK_MIX, waiting=bool(waiting))
            try:
                if op == "intake":  # 收件登记
                    with db.transaction() as s:
                        case = create_case(s, clerk, case_input(worker * 100_000 + i), court_code=COURT_CODE)
                        journal.append(("received", str(case.id), case.receipt_number))
                        waiting.append(str(case.id))
                elif op == "file":  # 立案审查 to the end: 登记立案 takes a 民初 number
                    case_id = waiting.pop(0)
                    with db.transaction() as s:
                        result = window_mix.file_case(s, clerk, uuid.UUID(case_id))
                        journal.append(("filed", case_id, result.case_number))
                elif op == "edit":  # an edit of a case every desk is working on
                    review_id, items = rng.choice(hot)
                    shown = window_mix.shown_version(db, uuid.UUID(review_id))  # what the clerk sees first
                    time.sleep(rng.random() * 0.02)  # the clerk reads and types
                    item, note = rng.choice(items), f"w{worker}-{i}"
                    try:
                        made = window_mix.save_answer(db, clerk, uuid.UUID(review_id), item,
                                                      rng.choice([Answer.PASS, Answer.FAIL]), note, shown)
                        journal.append(("saved", review_id, item, note, shown, made))
                    except EditConflict as conflict:
                        journal.append(("conflict", review_id, item, note, shown, conflict.message))
                else:
                    with db.session() as s:
                        search_cases(s, rng.choice(window_mix.SEARCHES), limit=20)
                    journal.append(("search",))
            except KnownError as exc:  # e.g. locked for too long: the clerk would see it; the test fails on it
                errors.append(f"{type(exc).__name__}: {exc.message[:200]}")
            except Exception as exc:  # noqa: BLE001 - a bug: reported to the test, which fails on it
                errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        db.dispose()
        results.put((worker, journal, errors))
