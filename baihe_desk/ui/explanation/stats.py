"""判后答疑 page, tab 统计: requests, outcome by tier, 服判息诉 rate by judge and by division (all cases,
optionally for a period of 申请日期)."""

from __future__ import annotations

from baihe_desk.models.explanation import DECISION_LABELS, PartyDecision
from baihe_desk.services.explanation import stats
from baihe_desk.ui.common.forms import OptionalDateEdit
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QLabel, QTableWidget
from baihe_desk.ui.common.widgets import buddy_label, button, named, text_label
from baihe_desk.ui.explanation.host import Panel, PanelHost

RATE_HEADERS = ("", "申请数", "已结束", "服判息诉", "服判息诉率")
NOTE = ("统计口径：按申请日期统计；服判息诉率 = 以服判息诉结束的申请 ÷ 已结束的申请（任一级答疑后服判息诉均计入）；"
        "按承办法官及其所在部门归属。")


def _table(name: str, label: str, headers: list[str]) -> QTableWidget:
    return text_table(name, label, headers, select_rows=False, stretch_last=False)


class StatsPanel(Panel):
    def __init__(self, page: PanelHost):
        super().__init__(page, "statsPanel")
        self.result: stats.ExplanationStats | None = None
        self.start = named(OptionalDateEdit(), "statsStart", "统计起始日期")
        self.end = named(OptionalDateEdit(), "statsEnd", "统计截止日期")
        self.refresh_button = button("统计", "refreshStats", "统计判后答疑", self.refresh)
        self.summary = text_label(name="statsSummary")
        decisions = [DECISION_LABELS[d] for d in PartyDecision]
        self.tier_table = _table("statsByTier", "各级答疑结果", ["级别", "答疑次数", *decisions])
        self.judge_table = _table("statsByJudge", "按承办法官的服判息诉率", ["承办法官", *RATE_HEADERS[1:]])
        self.division_table = _table("statsByDivision", "按部门的服判息诉率", ["部门", *RATE_HEADERS[1:]])
        controls = hbox(buddy_label("申请日期自(&F)：", self.start), self.start, buddy_label("至：", self.end), self.end,
                        self.refresh_button, STRETCH)
        vbox(controls, self.summary, QLabel("各级答疑结果："), self.tier_table, QLabel("按承办法官："), self.judge_table,
             QLabel("按部门："), self.division_table, text_label(NOTE, style="color: #5f6368;"), parent=self)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self.result is None:
            self.refresh()

    def refresh(self) -> None:
        start, end = self.start.value(), self.end.value()

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return stats.statistics(session, start=start, end=end)

        self.page.run_read(work, self.show_result)

    def show_result(self, result: stats.ExplanationStats) -> None:
        self.result = result
        total = result.accepted_rate
        self.summary.setText(f"答疑申请 {result.requests} 件，已结束 {result.closed} 件，答疑中 {result.open} 件；"
                             f"服判息诉 {total.accepted} 件，服判息诉率 {total.rate_text}。")
        fill_table(self.tier_table, [[f"第{t.tier_no}级（{t.role}）", str(t.held),
                                 *[str(t.decisions[d]) for d in PartyDecision]] for t in result.by_tier])

        def rates(rows: list[stats.RateRow]) -> list[list[str]]:
            return [[r.name, str(r.requests), str(r.closed), str(r.accepted), r.rate_text] for r in rows]

        fill_table(self.judge_table, rates(result.by_judge))
        fill_table(self.division_table, rates(result.by_division))
