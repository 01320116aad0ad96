"""Permission matrix: every service that changes data, called as every role (plus a disabled administrator,
the system actor and nobody); only the roles the hand-written oracle (tests/data/permissions-oracle.toml) names
succeed, every refusal is audited and changes nothing else."""

from __future__ import annotations

import pytest

from baihe_desk.services.common.permissions import Perm
from tests.reliability.permission_matrix import Outcome, check_call
from tests.reliability.permission_oracle import expected_for
from tests.reliability.permission_rows import ROWS as CORE_ROWS
from tests.reliability.permission_rows_exports import ROWS as EXPORT_ROWS
from tests.reliability.permission_rows_more import ROWS as MORE_ROWS
from tests.reliability.permission_rows_workflows import ROWS as WORKFLOW_ROWS

ROWS = [*CORE_ROWS, *WORKFLOW_ROWS, *MORE_ROWS, *EXPORT_ROWS]  # a new workflow: a permission_rows_<name>.py with its ROWS, added here

_TOTAL = Outcome()


@pytest.mark.parametrize("row", ROWS, ids=[r.service for r in ROWS])
def test_only_allowed_roles_may_call(world, row, figures):
    out, shared = Outcome(), {}
    for label, actor in world.actors():
        check_call(world, row, label, actor, out, shared)
    assert out.allowed == len(row.allowed_roles()) + (1 if expected_for(row.service).system else 0)
    assert out.denied == len(world.actors()) - out.allowed
    _TOTAL.allowed += out.allowed
    _TOTAL.denied += out.denied
    figures["permission matrix"] = (f"{len(ROWS)} services × {len(world.actors())} actors = "
                                    f"{_TOTAL.allowed + _TOTAL.denied} calls ({_TOTAL.allowed} allowed and done, "
                                    f"{_TOTAL.denied} refused and audited)")


def test_every_permission_that_guards_a_change_is_in_the_matrix():
    """A Perm no row exercises is either read-only or a service missing from the table."""
    read_only = {Perm.CASE_VIEW}
    covered = {p for r in ROWS for p in r.perms}
    pending = set(Perm) - covered - read_only
    expected_pending = PENDING_PERMS
    assert pending <= expected_pending, f"permissions without a matrix row: {sorted(pending - expected_pending)}"


# Perms whose services do not exist yet (or are not rows yet); shrink this as rows are added.
PENDING_PERMS = {
    Perm.CASE_EDIT,  # no service edits a case yet
}
