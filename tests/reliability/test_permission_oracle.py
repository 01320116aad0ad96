"""The permission oracle is independent and complete: every public service function that takes an actor or a
user has a table in tests/data/permissions-oracle.toml (or is named there as not a service, with why); every
table has its matrix row; the oracle never reads the production role table; and giving a role ONE permission
more (or the system actor one more) makes the matrix check fail."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import baihe_desk.services
from baihe_desk.models import Role
from baihe_desk.services.common import permissions
from baihe_desk.services.common.actor import SYSTEM
from baihe_desk.services.common.permissions import Perm
from tests.reliability.permission_matrix import Outcome, check_call
from tests.reliability.permission_oracle import load
from tests.reliability.test_permission_matrix import ROWS

HERE = Path(__file__).resolve().parent


def public_service_functions() -> set[str]:
    """``module.function`` (under baihe_desk.services) of every public function with an actor or user parameter."""
    found = set()
    for info in pkgutil.walk_packages(baihe_desk.services.__path__, "baihe_desk.services."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            if {"actor", "user"} & set(inspect.signature(fn).parameters):
                found.add(f"{module.__name__.removeprefix('baihe_desk.services.')}.{name}")
    return found


def test_every_public_service_function_is_in_the_oracle():
    rows, not_a_row = load()
    named = {e.function for e in rows.values()} | set(not_a_row)
    functions = public_service_functions()
    assert len(functions) > 100  # the walk really found the services
    assert sorted(functions - named) == [], "public service functions with no row in permissions-oracle.toml"
    assert sorted(named - functions) == [], "oracle entries naming no public service function"
    assert set(not_a_row).isdisjoint(e.function for e in rows.values())
    assert all(len(why) > 10 for why in not_a_row.values())


def test_every_matrix_row_has_its_oracle_table_and_every_table_its_row():
    rows, _ = load()
    names = [r.service for r in ROWS]
    assert len(names) == len(set(names))
    assert sorted(set(names) - set(rows)) == [] and sorted(set(rows) - set(names)) == []


def test_the_oracle_is_plain_words_for_all_nine_roles():
    rows, _ = load()
    for e in rows.values():
        assert e.may | e.may_not == set(Role) and not e.may & e.may_not, e.row
    # a few readings of the file, to show it says what the court says
    assert rows["service_address.record_attempt"].may_not >= {Role.MEDIATOR, Role.ENFORCEMENT}
    assert rows["enforcement_advice.submit_reply"].may == {Role.ENFORCEMENT}
    assert rows["settings.set_many"].system and not rows["settings_transfer.import_data"].system
    assert not rows["intake.create_case"].system


def test_the_oracle_never_reads_the_production_role_table():
    for name in ("permission_oracle.py", "permission_matrix.py", "permission_rows.py", "permission_rows_more.py",
                 "permission_rows_workflows.py", "permission_rows_exports.py"):
        tree = ast.parse((HERE / name).read_text("utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        named = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
            n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not imported & {"ROLE_PERMS", "SYSTEM_PERMS", "allowed", "require", "permissions"}, name
        assert not named & {"ROLE_PERMS", "SYSTEM_PERMS"}, name


def _row(name: str):  # type: ignore[no-untyped-def]
    return next(r for r in ROWS if r.service == name)


def test_one_permission_more_for_a_role_fails_the_matrix(world, monkeypatch):
    """The issue's own example: the 调解员 given 登记送达."""
    row = _row("service_address.record_attempt")
    mediator = world.users[Role.MEDIATOR]
    check_call(world, row, "调解员", mediator, Outcome(), {})  # as the court says: refused, audited
    widened = {**permissions.ROLE_PERMS, Perm.SERVICE_RECORD: permissions.ROLE_PERMS[Perm.SERVICE_RECORD] | {Role.MEDIATOR}}
    monkeypatch.setattr(permissions, "ROLE_PERMS", widened)
    with pytest.raises(AssertionError, match="succeeded, but 调解员 may not"):
        check_call(world, row, "调解员", mediator, Outcome(), {})


def test_one_permission_more_for_the_system_fails_the_matrix(world, monkeypatch):
    row = _row("intake.create_case")
    monkeypatch.setattr(permissions, "SYSTEM_PERMS", permissions.SYSTEM_PERMS | {Perm.CASE_CREATE})
    with pytest.raises(AssertionError, match="succeeded, but 系统 may not"):
        check_call(world, row, "系统", SYSTEM, Outcome(), {})


def test_one_permission_less_fails_the_matrix(world, monkeypatch):
    """The other direction: the window's clerk losing 收件登记 is caught too (the allowed call raises)."""
    from baihe_desk.errors import PermissionDenied

    row = _row("intake.create_case")
    narrowed = {**permissions.ROLE_PERMS, Perm.CASE_CREATE: permissions.ROLE_PERMS[Perm.CASE_CREATE] - {Role.FILING_CLERK}}
    monkeypatch.setattr(permissions, "ROLE_PERMS", narrowed)
    with pytest.raises(PermissionDenied):
        check_call(world, row, "立案窗口", world.users[Role.FILING_CLERK], Outcome(), {})
