"""权限矩阵 — the machinery: a world of users and cases, the row type, and the check of one call.

A :class:`Row` names one service that changes data, the permissions whose refusal it may name, and two
small functions: ``setup(world, actor)`` makes fresh prerequisites in their own transactions (a new case, a
started review …) and returns what the call needs; ``call(session, actor, prepared)`` calls the service.
Who may call it is NOT computed from the production role table: it is read from the hand-written oracle
``tests/data/permissions-oracle.toml`` (:mod:`tests.reliability.permission_oracle`). Adding a service is one
``Row(...)`` line in ``permission_rows*.py`` and one table in the oracle.

:func:`check_call` runs one (row, actor): an allowed actor must succeed; any other actor must get
``PermissionDenied`` with a Chinese message, exactly one new audit record ``permission.denied`` naming
the permission and the actor, and no other change in any table (and no new file).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.config import Paths
from baihe_desk.errors import PermissionDenied
from baihe_desk.models import AuditRecord, Case, Role, User
from baihe_desk.services.common.actor import SYSTEM, SystemActor
from baihe_desk.services.common.permissions import PERM_LABELS, Perm
from baihe_desk.services.filing.intake import CaseInput, create_case
from baihe_desk.storage.db import Database
from tests.reliability.factories import COURT_CODE, case_input
from tests.reliability.permission_oracle import expected_for

CJK = re.compile(r"[\u4e00-\u9fff]")


Actor = User | SystemActor | None


@dataclass(frozen=True)
class Row:
    service: str  # e.g. "complaint_review.finish(登记立案)" — the oracle's key
    perms: tuple[Perm, ...]  # the permissions a refusal may name (any one of them)
    setup: Callable[[World, Actor], Any]
    call: Callable[[Session, Actor, Any], Any]
    own_tx: bool = False  # the service opens its own transactions: ``call`` gets session None

    def allowed_roles(self) -> set[Role]:
        return set(expected_for(self.service).may)

    def allows(self, actor: Actor) -> bool:
        """What the oracle says: a listed role's active user, the system where the oracle says so, never nobody."""
        expected = expected_for(self.service)
        if isinstance(actor, SystemActor):
            return expected.system
        return actor is not None and actor.active and actor.role in expected.may


class World:
    """One database with a court, a user per role (and a disabled administrator), and case factories."""

    def __init__(self, db: Database, paths: Paths, users: dict[Role, User], disabled_admin: User):
        self.db = db
        self.paths = paths
        self.users = users
        self.disabled_admin = disabled_admin
        self._seeds = itertools.count(1000)

    def actors(self) -> list[tuple[str, Actor]]:
        return [(r.label, self.users[r]) for r in Role] + [
            ("停用的管理员", self.disabled_admin), ("系统", SYSTEM), ("未登录", None)]

    @property
    def clerk(self) -> User:
        return self.users[Role.FILING_CLERK]

    @property
    def admin(self) -> User:
        return self.users[Role.ADMIN]

    def seed(self) -> int:
        return next(self._seeds)

    def case_input(self, **kw: Any) -> CaseInput:
        return case_input(self.seed(), **kw)

    def write(self, fn: Callable[[Session], Any]) -> Any:
        """Run setup work in its own transaction (never in the transaction of the call under test)."""
        with self.db.transaction() as s:
            return fn(s)

    def new_case(self, **kw: Any) -> uuid.UUID:
        data = self.case_input(**kw)
        return self.write(lambda s: create_case(s, self.clerk, data, court_code=COURT_CODE).id)

    def case(self, s: Session, case_id: uuid.UUID) -> Case:
        return s.get(Case, case_id)

    def user_id(self, role: Role) -> uuid.UUID:
        return self.users[role].id

    def new_user(self, role: Role = Role.CLERK) -> uuid.UUID:
        from baihe_desk.services.common.auth import hash_password

        n = self.seed()
        return self.write(lambda s: _add(s, User(username=f"m{n}", display_name=f"临时用户{n}", role=role,
                                                  password_hash=hash_password("Matrix-1234"))).id)

    # -- what changed ------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, list[tuple]]:
        con = sqlite3.connect(f"file:{Path(self.db.sqlite_path).as_posix()}?mode=ro", uri=True)
        try:
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                               "AND name NOT LIKE 'sqlite_%' AND name != 'audit_record'")]
            return {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}
        finally:
            con.close()

    def files(self) -> set[Path]:
        return {p for p in self.paths.root.rglob("*") if p.is_file() and "backups" not in p.parts}

    def last_seq(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1)) or 0

    def audit_after(self, seq: int) -> list[AuditRecord]:
        with self.db.session() as s:
            return list(s.scalars(select(AuditRecord).where(AuditRecord.seq > seq).order_by(AuditRecord.seq)))


def _add(s: Session, obj: Any) -> Any:
    s.add(obj)
    s.flush()
    return obj


@dataclass
class Outcome:
    allowed: int = 0
    denied: int = 0


def _run(world: World, row: Row, actor: Actor, prepared: Any) -> None:
    if row.own_tx:
        row.call(None, actor, prepared)  # type: ignore[arg-type]
        return
    with world.db.transaction() as s:
        row.call(s, actor, prepared)


def check_call(world: World, row: Row, label: str, actor: Actor, out: Outcome,
               shared: dict[str, Any]) -> None:
    """One (row, actor). A refused call changes nothing, so the refused actors share one ``setup``."""
    where = f"{row.service} as {label}"
    if row.allows(actor):
        prepared = row.setup(world, actor)
        seq = world.last_seq()
        _run(world, row, actor, prepared)  # any exception here fails the test: an allowed role must succeed
        done = [r for r in world.audit_after(seq) if r.action != "permission.denied"]
        assert any((r.user_id, r.username) == (actor.id, actor.username) for r in done if actor), \
            f"{where}: allowed, but no audit record of the change by {label}"
        out.allowed += 1
        return
    if "prepared" not in shared:
        shared["prepared"] = row.setup(world, actor)
    prepared = shared["prepared"]
    before, files, seq = world.snapshot(), world.files(), world.last_seq()
    try:
        _run(world, row, actor, prepared)
    except PermissionDenied as exc:
        message = exc.message
    else:
        raise AssertionError(f"{where}: succeeded, but {label} may not {row.perms}")
    records = world.audit_after(seq)
    named = [p for p in row.perms if records and records[0].entity_id == p.value]
    assert named, f"{where}: the refusal's audit record names none of {row.perms}: {records}"
    assert CJK.search(message) and PERM_LABELS[named[0]] in message, f"{where}: message {message!r}"
    assert [(r.action, r.entity_id, r.user_id, r.username) for r in records] == [
        ("permission.denied", named[0].value, actor.id if actor else None, actor.username if actor else "")], \
        f"{where}: audit {records}"
    after = world.snapshot()
    changed = [t for t in after if after[t] != before.get(t)]
    assert not changed, f"{where}: refused, yet tables changed: {changed}"
    assert world.files() == files, f"{where}: refused, yet files were written"
    out.denied += 1
