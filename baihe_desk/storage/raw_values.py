"""Values read "as stored" (``type_coerce(col, String)``: no date or UUID object built per row, for the
aggregate queries over a million cases), made the same on both databases: SQLite hands back its stored
text, psycopg builds UUID and date objects whatever the query says."""

from __future__ import annotations

import uuid
from typing import Any


def stored_id(value: Any) -> str | None:
    """An id as SQLite stores it: 32 lower-case hex digits (None stays None)."""
    if value is None:
        return None
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "").lower()


def stored_day(value: Any) -> str:
    """A date as ISO text."""
    return value if isinstance(value, str) else value.isoformat()
