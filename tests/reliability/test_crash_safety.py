"""Crash safety: writers killed at random moments lose nothing reported committed and leave nothing half done.

The full run is the default: ``BAIHE_CRASH_KILLS`` (default 200) kills of two concurrent writers, about
25 s on two cores. For a longer soak set e.g. ``BAIHE_CRASH_KILLS=2000`` (and ``BAIHE_CRASH_WORKERS``,
``BAIHE_CRASH_SEED``); the figures are printed in the "reliability figures" section of the summary.
"""

from __future__ import annotations

import os

import pytest

from tests.reliability.crash_checks import read_reports, verify
from tests.reliability.crash_harness import run_kills

KILLS = int(os.environ.get("BAIHE_CRASH_KILLS", "200"))
WORKERS = int(os.environ.get("BAIHE_CRASH_WORKERS", "2"))
SEED = int(os.environ.get("BAIHE_CRASH_SEED", "10"))


@pytest.mark.slow
def test_killed_writers_lose_nothing_and_leave_nothing_half_applied(tmp_path, figures):
    root = tmp_path / "crash"
    result = run_kills(root, kills=KILLS, workers=WORKERS, seed=SEED)
    reports = read_reports(result.logs)
    verdict = verify(result.url, reports, kills=result.kills, backups=root / "backups")
    inside = sum(reports.killed_inside.values())
    figures["crash harness"] = (
        f"{result.kills} kills ({inside} inside a transaction: {dict(reports.killed_inside)}) in "
        f"{result.seconds:.0f} s; {verdict.transactions_verified} transactions verified "
        f"({verdict.reported_committed} reported committed, {verdict.reported_rolled_back} rolled back on purpose, "
        f"{verdict.unreported_present} committed but killed before reporting); {verdict.cases} cases, "
        f"{verdict.audit_records} audit records, {verdict.backups_checked} backups checked; "
        f"lost {verdict.lost}, half-applied {verdict.half_applied}")
    assert result.kills == KILLS
    assert verdict.lost == 0 and verdict.half_applied == 0
    # the harness really exercised what it claims: commits, deliberate rollbacks, kills inside transactions
    assert verdict.reported_committed > KILLS // 2
    assert verdict.reported_rolled_back > 0
    assert inside > KILLS // 2
    assert verdict.unreported_present <= result.kills
