"""判后答疑 page, tab 统计: requests, outcome by tier, 服判息诉 rate by judge and by division (all cases,
optionally for a period of 申请日期)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baihe_desk.models.explanation import DECISION_LABELS, PartyDecision
from baihe_desk.services.explanation import stats
from baihe_desk.ui.common.forms import OptionalDateEdit
from baihe_desk.ui.common.qt import QHBoxLayout, QLabel, QPushButton, QtWidgets, QVBoxLayout, QWidget
from baihe_desk.ui.common.widgets import buddy_label, named

if TYPE_CHECKING:
    from baihe_desk.ui.explanation.page import ExplanationPage

QTableWidget, QTableWidgetItem = QtWidgets.QTableWidget, QtWidgets.QTableWidgetItem
RATE_HEADERS = ("", "申请数", "已结束", "服判息诉", "服判息诉率")
NOTE = ("统计口径：按申请日期统计；服判息诉率 = 以服判息诉结束的申请 ÷ 已结束的申请（任一级答疑后服判息诉均计入）；"
        "按承办法官及其所在部门归属。")


def _table(name: str, label: str, headers: list[str]) -> QTableWidget:
    t = named(QTableWidget(0, len(headers)), name, label)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    return t


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class StatsPanel(QWidget):
    def __init__(self, page: ExplanationPage):
        super().__init__(page)
        self.page = page
        self.setObjectName("statsPanel")
        self.result: stats.ExplanationStats | None = None
        self.start = named(OptionalDateEdit(), "statsStart", "统计起始日期")
        self.end = named(OptionalDateEdit(), "statsEnd", "统计截止日期")
        self.refresh_button = named(QPushButton("统计"), "refreshStats", "统计判后答疑")
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel("")
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        decisions = [DECISION_LABELS[d] for d in PartyDecision]
        self.tier_table = _table("statsByTier", "各级答疑结果", ["级别", "答疑次数", *decisions])
        self.judge_table = _table("statsByJudge", "按承办法官的服判息诉率", ["承办法官", *RATE_HEADERS[1:]])
        self.division_table = _table("statsByDivision", "按部门的服判息诉率", ["部门", *RATE_HEADERS[1:]])
        row = QHBoxLayout()
        row.addWidget(buddy_label("申请日期自(&F)：", self.start))
        row.addWidget(self.start)
        row.addWidget(buddy_label("至：", self.end))
        row.addWidget(self.end)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("各级答疑结果："))
        layout.addWidget(self.tier_table)
        layout.addWidget(QLabel("按承办法官："))
        layout.addWidget(self.judge_table)
        layout.addWidget(QLabel("按部门："))
        layout.addWidget(self.division_table)
        layout.addWidget(note)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self.result is None:
            self.refresh()

    def refresh(self) -> None:
        start, end = self.start.value(), self.end.value()

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return stats.statistics(session, start=start, end=end)

        self.page._run(work, write=False, on_success=self.show_result)

    def show_result(self, result: stats.ExplanationStats) -> None:
        self.result = result
        total = result.accepted_rate
        self.summary.setText(f"答疑申请 {result.requests} 件，已结束 {result.closed} 件，答疑中 {result.open} 件；"
                             f"服判息诉 {total.accepted} 件，服判息诉率 {total.rate_text}。")
        _fill(self.tier_table, [[f"第{t.tier_no}级（{t.role}）", str(t.held),
                                 *[str(t.decisions[d]) for d in PartyDecision]] for t in result.by_tier])

        def rates(rows: list[stats.RateRow]) -> list[list[str]]:
            return [[r.name, str(r.requests), str(r.closed), str(r.accepted), r.rate_text] for r in rows]

        _fill(self.judge_table, rates(result.by_judge))
        _fill(self.division_table, rates(result.by_division))
