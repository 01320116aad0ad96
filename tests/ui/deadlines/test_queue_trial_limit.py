"""登记延长审限 from the judge's queue, as a user would: select the trial-limit entry, open the dialog, fill
in the approval, save — the limit moves, the record names the approver, the audit trail has it."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from baihe_desk.models import AuditRecord, Procedure, Role, Stage
from baihe_desk.models.clock import TrialLimitExtension
from baihe_desk.services.deadlines import clocks
from baihe_desk.services.deadlines.clocks_trial import months_later
from baihe_desk.ui.deadlines.queue_page import QueuePage
from baihe_desk.ui.deadlines.trial_limit import TrialLimitDialog
from tests.ui.helpers import type_text


def _world_module():
    path = Path(__file__).resolve().parents[2] / "services" / "deadlines" / "clock_world.py"
    name = "tests_unit_clock_world"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def test_judge_records_a_presidents_extension_from_the_queue(qtbot, db, users, paths):
    w = _world_module()
    world = w.build_world(db, users)
    judge = world.users[Role.JUDGE]
    today = clocks.today_local()
    filed = today - timedelta(days=80)
    with db.transaction() as s:
        case_id = w.add_case(s, received_on=filed, stage=Stage.IN_TRIAL, filed_on=filed,
                             procedure=Procedure.SIMPLE, judge_id=judge.id).id
    page = QueuePage(db, paths, judge)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    assert page.limit_button.isEnabled()
    qtbot.mouseClick(page.limit_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(TrialLimitDialog, "trialLimitDialog")
    qtbot.waitUntil(lambda: "审限至" in dialog.current.toPlainText(), timeout=10_000)
    before = months_later(filed, 3)[0]
    assert before.isoformat() in dialog.current.toPlainText()
    type_text(dialog.ext_name, "院长 王立山")
    type_text(dialog.ext_ref, "ysq-2026-7")
    type_text(dialog.ext_reason, "需调取银行流水")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(dialog.ext_save, Qt.MouseButton.LeftButton)
    after = months_later(before, 1)[0]
    qtbot.waitUntil(lambda: after.isoformat() in dialog.current.toPlainText(), timeout=10_000)
    assert dialog.record_list.count() == 1 and "王立山" in dialog.record_list.item(0).text()
    with db.session() as s:
        row = s.scalar(select(TrialLimitExtension))
        assert (row.case_id, row.months, row.approved_by_name, row.approval_ref, row.recorded_by_id) == \
            (case_id, 1, "院长 王立山", "ysq-2026-7", judge.id)
        assert s.scalar(select(AuditRecord).where(AuditRecord.action == "trial_limit.extend")) is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.entry(0).due == after, timeout=10_000)
    box = next(b for b in dialog.children() if b.objectName() == "messageBox")
    assert "已登记延长审限" in box.text()
    box.close()
    dialog.close()
