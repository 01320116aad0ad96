"""One desk process of tests/storage/test_concurrent_desks.py: receive cases, file them (民初 numbers), search."""

from __future__ import annotations

import uuid


def desk(url: str, clerk_id: str, worker: int, rounds: int, results) -> None:  # type: ignore[no-untyped-def]
    from baihe_desk.models import Case, User
    from baihe_desk.services.common.case_query import search_cases
    from baihe_desk.services.common.numbering import assign_case_number
    from baihe_desk.services.filing.complaint_review import start_review
    from baihe_desk.services.filing.intake import create_case
    from baihe_desk.storage.db import Database
    from tests.reliability.factories import COURT_CODE, case_input

    db = Database(url)
    done: list[str] = []
    errors: list[str] = []
    try:
        with db.session() as s:
            clerk = s.get(User, uuid.UUID(clerk_id))
            s.expunge(clerk)
        for i in range(rounds):
            try:
                with db.transaction() as s:  # intake: takes a 收件号 (a counter row)
                    case_id = create_case(s, clerk, case_input(worker * 1000 + i), court_code=COURT_CODE).id
                with db.transaction() as s:  # review: audited, no counter: only the audit chain is shared
                    case = s.get(Case, case_id)
                    start_review(s, clerk, case, case.received_on)
                with db.transaction() as s:  # filing: takes a 民初 number
                    assign_case_number(s, clerk, s.get(Case, case_id), "民初", year=2026)
                done.append(str(case_id))
                with db.session() as s:
                    search_cases(s, "借款", limit=20)
            except Exception as exc:  # noqa: BLE001 - every failure is reported to the test, which fails on it
                errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        db.dispose()
        results.put((worker, done, errors))
