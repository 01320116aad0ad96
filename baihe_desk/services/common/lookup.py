"""查找 — one record by its id, or a calm :class:`~baihe_desk.errors.NotFound` naming what is missing.

Every workflow looks records up by the id a screen or the CLI passed in, and a record someone else has
just deleted is an expected problem, not a bug: the message says so in the clerk's words.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from baihe_desk.errors import NotFound
from baihe_desk.models import Case

T = TypeVar("T")

CASE_GONE = "案件不存在或已被删除。"


def get_or_not_found(session: Session, model: type[T], key: Any, message: str) -> T:
    """``session.get(model, key)``, or NotFound(``message``) when there is no such record."""
    found = session.get(model, key)
    if found is None:
        raise NotFound(message)
    return found


def get_case(session: Session, case_id: uuid.UUID, message: str = CASE_GONE) -> Case:
    """The case ``case_id``, or NotFound."""
    return get_or_not_found(session, Case, case_id, message)
