"""案由 catalogue (民事案件案由规定, 2025 revision in force 2026-01-01), loaded from resources/causes.

The catalogue is data with a version: a case keeps the 案由 text and the catalogue version it was
filed under. Type-ahead matches the name, its pinyin initials and full pinyin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

CATALOGUE_VERSION = "2025"  # 法〔2025〕226号/227号, in force 2026-01-01
CATALOGUE_FILE = "civil-causes-2025.json"


@dataclass(frozen=True)
class Cause:
    code: str
    level: int
    name: str
    parent: str | None
    number: int
    path: str  # e.g. 合同、准合同纠纷 › 合同纠纷 › 借款合同纠纷
    initials: str
    pinyin: str


@cache
def catalogue() -> tuple[Cause, ...]:
    from pypinyin import Style, lazy_pinyin

    raw = json.loads(resources.files("baihe_desk.resources").joinpath("causes").joinpath(CATALOGUE_FILE).read_text("utf-8"))
    by_code = {r["code"]: r for r in raw}
    out = []
    for r in raw:
        names, cur = [], r
        while cur is not None:
            names.append(cur["name"])
            cur = by_code.get(cur["parent"]) if cur["parent"] else None
        out.append(Cause(
            code=r["code"], level=r["level"], name=r["name"], parent=r["parent"], number=r["number"],
            path=" › ".join(reversed(names)),
            initials="".join(lazy_pinyin(r["name"], style=Style.FIRST_LETTER)).lower(),
            pinyin="".join(lazy_pinyin(r["name"])).lower(),
        ))
    return tuple(out)


def selectable() -> list[Cause]:
    """Causes a case can be filed under: levels 3 and 4 (the level-2 groups where they have no children)."""
    cats = catalogue()
    parents = {c.parent for c in cats}
    return [c for c in cats if c.level >= 3 or (c.level == 2 and c.code not in parents)]


def by_code(code: str) -> Cause | None:
    for c in catalogue():
        if c.code == code:
            return c
    return None


def find(text: str, limit: int = 20) -> list[Cause]:
    """Type-ahead: name substring first, then pinyin initials / full pinyin prefix."""
    t = text.strip().lower()
    if not t:
        return []
    items = selectable()
    hits = [c for c in items if t in c.name.lower()]
    hits.sort(key=lambda c: (not c.name.startswith(t), len(c.name)))
    if t.isascii():
        extra = [c for c in items if c not in hits and (c.initials.startswith(t) or c.pinyin.startswith(t))]
        hits += extra
    return hits[:limit]
