"""立案窗口的一天 — the filing window's mix of work that several desks do at once, in one place for the load
benchmark (``bench/load.py``: its timings) and the soak test (``tests/storage/soak_worker.py``: its journal).

The operations: 收件登记 (``intake``), the whole 立案审查 of a case this desk received ending in 登记立案 with a
民初 number (``file``), an edit of one of the reviews every desk works on, saved with the version the screen
showed so that some end as conflicts (``edit``), a search (``search``) and a page of the case list
(``list``). Which one comes next is drawn from a mix of cumulative shares (:func:`choose`).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from typing import Any

# (operation, the cumulative share up to it): an operation is drawn where a random number in [0, 1) falls
LOAD_MIX: tuple[tuple[str, float], ...] = (
    ("intake", 0.2), ("file", 0.35), ("edit", 0.6), ("search", 0.85), ("list", 1.0))
SEARCHES = ("借款", "民初", "吉林省")


def choose(rng: random.Random, mix: Sequence[tuple[str, float]], *, waiting: bool) -> str:
    """The next operation of ``mix``; a ``file`` with no received case waiting becomes an ``intake``."""
    r = rng.random()
    kind = next((k for k, upto in mix if r < upto), mix[-1][0])
    return "intake" if kind == "file" and not waiting else kind


def file_case(session: Any, user: Any, case_id: uuid.UUID) -> Any:
    """立案审查 to the end (call in a write transaction): every item answered as the sheet suggests, else
    通过, then 登记立案 on the day received; returns the review's result (with its 民初 number)."""
    from baihe_desk.models import Case
    from baihe_desk.models.review import Answer, ReviewOutcome
    from baihe_desk.services.filing import complaint_review as cr

    case = session.get(Case, case_id)
    review = cr.start_review(session, user, case, case.received_on)
    for row in cr.review_sheet(session, review):
        cr.answer(session, user, review, row.item.id, row.answer or Answer.PASS)
    return cr.finish(session, user, review, ReviewOutcome.REGISTERED, decided_on=case.received_on)


def shown_version(db: Any, review_id: uuid.UUID) -> int:
    """What the clerk's screen shows before the edit: the review's version."""
    from baihe_desk.models.review import ComplaintReview

    with db.session() as s:
        return s.get(ComplaintReview, review_id).row_version


def save_answer(db: Any, user: Any, review_id: uuid.UUID, item_id: uuid.UUID | None, answer: Any, note: str,
                shown: int) -> int:
    """Save one answer of the review (``item_id`` None: its first item) based on version ``shown``; returns
    the version it made. Raises ``EditConflict`` when another desk saved the review since."""
    from baihe_desk.models.review import ComplaintReview
    from baihe_desk.services.filing import complaint_review as cr

    with db.transaction() as s:
        review = s.get(ComplaintReview, review_id)
        item = item_id if item_id is not None else cr.review_sheet(s, review)[0].item.id
        cr.answer(s, user, review, item, answer, note, expected_version=shown)
        return review.row_version
