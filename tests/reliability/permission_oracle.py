"""The permission oracle: who may do what, read from tests/data/permissions-oracle.toml (written by hand from
the roles as the court defines them). This module must never import the production role table
(``ROLE_PERMS``): tests/reliability/test_permission_oracle.py checks that it does not."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from baihe_desk.models import Role

ORACLE = Path(__file__).resolve().parents[1] / "data" / "permissions-oracle.toml"

# The oracle's plain words for the roles (the file's header explains each).
WORDS: dict[str, Role] = {
    "立案窗口": Role.FILING_CLERK, "法官助理": Role.JUDGE_ASSISTANT, "书记员": Role.CLERK,
    "承办法官": Role.JUDGE, "庭长": Role.DIVISION_CHIEF, "分管院长": Role.VICE_PRESIDENT,
    "执行局": Role.ENFORCEMENT, "调解员": Role.MEDIATOR, "管理员": Role.ADMIN,
}


@dataclass(frozen=True)
class Expected:
    row: str
    function: str
    does: str
    may: frozenset[Role]
    may_not: frozenset[Role]
    system: bool


def _roles(text: str, where: str) -> list[Role]:
    words = text.split()
    unknown = [w for w in words if w not in WORDS]
    if unknown:
        raise ValueError(f"{ORACLE.name} [{where}]: unknown role words {unknown}")
    return [WORDS[w] for w in words]


@cache
def load() -> tuple[dict[str, Expected], dict[str, str]]:
    """(rows by matrix row name, public functions that are not a row → why)."""
    data = tomllib.loads(ORACLE.read_text("utf-8"))
    rows = {}
    for name, body in data["rows"].items():
        may, may_not = _roles(body["may"], name), _roles(body["may_not"], name)
        rows[name] = Expected(name, body["function"], body["does"], frozenset(may), frozenset(may_not),
                              bool(body.get("system", False)))
        if len(may) + len(may_not) != len(set(may) | set(may_not)) or set(may) | set(may_not) != set(Role):
            raise ValueError(f"{ORACLE.name} [{name}]: may + may_not must name every role exactly once")
    return rows, dict(data["not_a_row"])


def expected_for(row: str) -> Expected:
    rows, _ = load()
    if row not in rows:
        raise AssertionError(f"the permission matrix row {row!r} has no table in {ORACLE.name}")
    return rows[row]
