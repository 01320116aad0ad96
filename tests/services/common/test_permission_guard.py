"""The guard itself (services/common/permissions.py): who passes ``allowed``, what ``require`` returns, and what a
refusal leaves behind — the words, the audit record, committed before the raise so the caller's rollback keeps
it. The system actor passes only the settings guard; no actor at all passes nothing.

Expected values are written here from the court's roles (the full role × service table is the oracle in
tests/data/permissions-oracle.toml, checked by tests/reliability/test_permission_matrix.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import AuditRecord, Role, User
from baihe_desk.services.common.actor import SYSTEM, SystemActor
from baihe_desk.services.common.permissions import Perm, allowed, require


def _audit(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [(r.action, r.entity, r.entity_id, r.user_id, r.username, r.after)
                for r in s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")
                                   .order_by(AuditRecord.seq))]


def test_the_system_actor_is_not_a_user_and_may_only_edit_settings():
    assert (SYSTEM.id, SYSTEM.username, SYSTEM.display_name, SYSTEM.active, repr(SYSTEM)) == (
        None, "系统", "系统", True, "SYSTEM")
    assert isinstance(SYSTEM, SystemActor) and not isinstance(SYSTEM, User)
    assert [p for p in Perm if allowed(SYSTEM, p)] == [Perm.SETTINGS_EDIT]


def test_nobody_may_do_anything():
    assert [p for p in Perm if allowed(None, p)] == []


def test_a_role_passes_exactly_its_own_permissions(uusers):
    mediator, bureau, admin = uusers[Role.MEDIATOR], uusers[Role.ENFORCEMENT], uusers[Role.ADMIN]
    assert allowed(mediator, Perm.MEDIATION_RECORD) and not allowed(mediator, Perm.SERVICE_RECORD)
    assert allowed(bureau, Perm.CONSULT_REPLY) and not allowed(bureau, Perm.CONSULT_DRAFT)
    assert allowed(admin, Perm.SETTINGS_EDIT) and not allowed(admin, Perm.CONSULT_REPLY)


def test_a_disabled_user_passes_nothing(uusers):
    admin = uusers[Role.ADMIN]
    admin.active = False
    try:
        assert [p for p in Perm if allowed(admin, p)] == []
    finally:
        admin.active = True


def test_require_returns_the_actor_it_let_through(udb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    with udb.session() as s:
        assert require(s, clerk, Perm.CASE_CREATE) is clerk
        assert require(s, SYSTEM, Perm.SETTINGS_EDIT) is SYSTEM
    assert _audit(udb) == []


def test_a_refusal_names_who_and_what_and_is_audited_even_after_a_rollback(udb, uusers):
    mediator = uusers[Role.MEDIATOR]
    with udb.session() as s:
        with pytest.raises(PermissionDenied) as info:
            require(s, mediator, Perm.SERVICE_RECORD)
        s.rollback()  # the caller gives up: the refusal's record stays (it was committed before the raise)
    assert info.value.message == "测试调解员（调解员）无权登记送达。"
    assert _audit(udb) == [("permission.denied", "permission", "service.record", mediator.id, "u_mediator",
                            {"permission": "service.record"})]


def test_nobody_and_the_system_are_refused_in_their_own_words(udb, uusers):
    with udb.session() as s:
        with pytest.raises(PermissionDenied) as nobody:
            require(s, None, Perm.SETTINGS_EDIT)
        with pytest.raises(PermissionDenied) as system:
            require(s, SYSTEM, Perm.CASE_CREATE)
        s.rollback()
    assert (nobody.value.message, system.value.message) == ("未登录用户无权修改设置。", "系统无权新建案件。")
    assert _audit(udb) == [
        ("permission.denied", "permission", "settings.edit", None, "", {"permission": "settings.edit"}),
        ("permission.denied", "permission", "case.create", None, "系统", {"permission": "case.create"}),
    ]


@pytest.mark.parametrize("save", ["court", "settings", "department"])
def test_actor_none_no_longer_means_the_system(udb, uusers, save):
    """Settings, organisation and the court profile refuse a caller that passes no actor at all."""
    from baihe_desk.services.admin import court, organisation, settings

    calls = {"court": lambda s: court.save_profile(s, None, name="吉林省白河林区基层法院", code="吉7502"),
             "settings": lambda s: settings.set_value(s, None, "queues.near_due_days", 5),
             "department": lambda s: organisation.add_department(s, None, "民事审判第二庭", "civil")}
    with udb.session() as s:
        with pytest.raises(PermissionDenied, match="^未登录用户无权修改设置。$"):
            calls[save](s)
        s.rollback()
    assert [a[2] for a in _audit(udb)] == ["settings.edit"]
