"""The 立案审查 list says what the 工作台 says about a 补正期限 that has passed (the screenshots showed
“补正至 11-18” on 12-06 beside the 工作台's “补正期限已届满 18 日”): the days are counted by hand."""

from __future__ import annotations

import uuid
from datetime import date

from baihe_desk.models import Stage
from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.filing.queue import RED, QueueModel
from baihe_desk.ui.filing.state import QueueRow, _days_to

TODAY = date(2026, 12, 6)


def row(due: date) -> QueueRow:
    return QueueRow(uuid.uuid4(), "2026收00108", "买卖合同纠纷", "邹会宏 诉 武英林", Stage.CORRECTION, "待补正",
                    date(2026, 11, 3), due, _days_to(due, TODAY), False, "")


def test_a_passed_correction_deadline_is_named_and_red(qtbot):
    model = QueueModel()
    model.set_rows([row(date(2026, 11, 18)), row(date(2026, 12, 21)), row(date(2026, 12, 6))])
    cells = [model.index(r, 3).data() for r in range(3)]
    # 11-18 → 12-06: 12 days left in November + 6 = 18; 12-21 is still ahead; 12-06 is the last day itself
    assert cells == ["补正逾期 18 日", "补正至 12-21", "补正至 12-06"]
    assert "补正期限 2026-11-18" in model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    colours = [model.index(r, 3).data(Qt.ItemDataRole.ForegroundRole) for r in range(3)]
    assert colours[0].color().name() == RED and colours[1] is None and colours[2] is None
