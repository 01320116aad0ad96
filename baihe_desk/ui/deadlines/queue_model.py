"""我的待办的表格模型 — plain :class:`services.deadlines.queues.QueueEntry` rows (already ordered: overdue first, then
by due date); overdue rows in red, 临期 in amber. Shared by the queue page and the dashboard's
department lists."""

from __future__ import annotations

from typing import Any

from baihe_desk.services.deadlines.queues import RELATION_LABELS, STEP_LABELS, URGENCY_LABELS, QueueEntry
from baihe_desk.ui.common.list_detail import RowsModel
from baihe_desk.ui.common.qt import QModelIndex, QObject, Qt, QtGui

COLUMNS = ("状态", "事项", "案号/收件号", "当事人", "到期日", "剩余", "情况", "办理环节", "部门")
COL_STATE, COL_LABEL, COL_CASE, COL_PARTIES, COL_DUE, COL_LEFT, COL_DETAIL, COL_STEP, COL_DEPT = range(len(COLUMNS))
COLORS = {"overdue": "#b3261e", "near": "#9a5b00", "ended": "#5f6368"}


def left_text(e: QueueEntry) -> str:
    if e.clock.paused:
        return "暂停"
    if e.days_left is None:
        return ""
    if e.days_left < 0:
        return f"超 {-e.days_left} 日" if e.clock.duty else f"已过 {-e.days_left} 日"
    return "今日" if e.days_left == 0 else f"{e.days_left} 日"


def state_text(e: QueueEntry) -> str:
    if e.clock.paused:
        return "暂停"
    text = URGENCY_LABELS.get(e.urgency, "")
    if not text and e.due is None:
        text = "待办"
    if e.relation == "waiting":
        text = f"{text}·等待他人" if text else "等待他人"
    return text


class QueueTableModel(RowsModel):
    """The entries (``entries``); the department column only with ``show_department``."""

    HEADERS = COLUMNS

    def __init__(self, parent: QObject | None = None, *, show_department: bool = False):
        super().__init__(parent)
        self.show_department = show_department

    @property
    def entries(self) -> list[QueueEntry]:
        return self.rows

    def set_entries(self, entries: list[QueueEntry]) -> None:
        self.set_rows(entries)

    def entry(self, row: int) -> QueueEntry | None:
        return self.row(row)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS) - (0 if self.show_department else 1)

    def cells(self, e: QueueEntry) -> tuple[str, ...]:
        step = STEP_LABELS.get(e.step, e.step) + (f"（{RELATION_LABELS[e.relation]}）" if e.relation != "mine" else "")
        return (state_text(e), e.clock.label, e.case_ref, e.parties, e.due.isoformat() if e.due else "", left_text(e),
                e.clock.detail, step, e.department)

    def role_data(self, e: QueueEntry, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([e.clock.label, e.clock.detail, *e.clock.warnings])
        if role == Qt.ItemDataRole.ForegroundRole and e.urgency in COLORS and col in (COL_STATE, COL_LEFT, COL_DUE):
            return QtGui.QBrush(QtGui.QColor(COLORS[e.urgency]))
        if role == Qt.ItemDataRole.FontRole and e.urgency == "overdue" and col == COL_STATE:
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_DUE, COL_LEFT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def entry_html(e: QueueEntry) -> str:
    """The selected entry in full: status, how the date was counted, the legal basis, warnings."""
    from html import escape

    from baihe_desk.ui.common.law_panel import linked_html

    def law(text: str) -> str:  # citations become links; a bare 第X条 of a clock is the 民事诉讼法's
        return linked_html(text, default_law="民事诉讼法")

    c = e.clock
    parts = [f"<b>{escape(c.label)}</b>　{escape(e.case_ref)}　{escape(e.parties)}"]
    if c.detail:
        parts.append(f"<p>{law(c.detail)}</p>")
    if c.steps:
        parts.append("<p><b>计算过程：</b></p><ol>" + "".join(f"<li>{law(s)}</li>" for s in c.steps) + "</ol>")
    if c.basis:
        parts.append("<p><b>法律依据：</b></p><ul>" + "".join(f"<li>{law(b)}</li>" for b in c.basis) + "</ul>")
    if c.warnings:
        parts.append("<p><b>提示：</b></p><ul>" + "".join(
            f"<li style='color:#9a5b00'>{law(w)}</li>" for w in c.warnings) + "</ul>")
    return "".join(parts)
