"""What a generated-input form test must show besides "no crash": enough inputs were accepted, each accepted
save wrote what it was given, and each refusal wrote nothing (no table changed, no audit record)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from baihe_desk.models import Base

CJK_CHARS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0003134f]")


def table_counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows of every table (the whole database, so a stray write anywhere is seen)."""
    with db.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def kept(stored: str | None, given: str | None) -> bool:
    """The stored text kept the Chinese characters the user typed, in order (cleaning may drop control
    characters and fold spaces or full-width forms, never drop or reorder the words)."""
    return CJK_CHARS.findall(stored or "") == CJK_CHARS.findall(given or "")


@dataclass
class Tally:
    name: str
    accepted: int = 0
    refused: int = 0

    def check(self, min_share: float) -> None:
        total = self.accepted + self.refused
        assert total, f"{self.name}: no example ran"
        share = self.accepted / total
        assert share >= min_share, (f"{self.name}: only {self.accepted} of {total} inputs were saved "
                                    f"({share:.0%} < {min_share:.0%}): the test no longer exercises the save path")
