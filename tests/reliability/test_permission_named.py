"""Named-person rules on top of the roles: only the mediator a case is assigned to records its mediation;
only the person a 判后答疑 tier is assigned to records that tier. A refusal is audited and changes nothing."""

from __future__ import annotations

import pytest

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import Role, User
from baihe_desk.services.common.auth import hash_password
from baihe_desk.services.mediation import roster, station
from tests.reliability.permission_rows_workflows import mediation, record, request_of, roster_of


def _user(world, role: Role, name: str) -> User:
    def work(s):  # type: ignore[no-untyped-def]
        u = User(username=name, display_name=f"另一位{role.label}", role=role, password_hash=hash_password("Named-1234"))
        s.add(u)
        s.flush()
        return u

    return world.write(work)


def _refused(world, call, action: str, actor: User) -> None:  # type: ignore[no-untyped-def]
    before, seq = world.snapshot(), world.last_seq()
    with pytest.raises(PermissionDenied) as info:
        with world.db.transaction() as s:
            call(s)
    assert any("\u4e00" <= c <= "\u9fff" for c in info.value.message)
    records = world.audit_after(seq)
    assert [(r.action, r.user_id) for r in records] == [(action, actor.id)]
    after = world.snapshot()
    assert [t for t in after if after[t] != before.get(t)] == []


def test_only_the_assigned_mediator_records_the_mediation(world):
    mid, _ = mediation(world, "assigned")  # assigned to the world's 调解员
    other = _user(world, Role.MEDIATOR, "named_mediator")
    org_id, _mediator = roster_of(world)
    world.write(lambda s: roster.add_mediator(s, world.admin, org_id, other.id))
    _refused(world, lambda s: station.accept(s, other, mid), "permission.denied", other)
    with world.db.transaction() as s:  # the assigned one may
        station.accept(s, world.users[Role.MEDIATOR], mid)


def test_only_the_person_a_tier_is_assigned_to_records_it(world):
    _req, tier = request_of(world)  # tier 1: the world's 承办法官
    other_judge = _user(world, Role.JUDGE, "named_judge")
    chief = world.users[Role.DIVISION_CHIEF]
    _refused(world, lambda s: record(s, other_judge, tier), "explanation.tier_denied", other_judge)
    _refused(world, lambda s: record(s, chief, tier), "explanation.tier_denied", chief)  # the role alone is not enough
    with world.db.transaction() as s:
        record(s, world.users[Role.JUDGE], tier)
