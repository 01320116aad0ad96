"""统计分析 — figures for a week, month, quarter or year (收件与同比、立案、结案、诉前调解、补正率、
收件至立案及首次成功送达天数、执行咨询与采纳、判后答疑与服判息诉率、超期), by department, judge and
mediator, two charts, and the 周通报 / 月分析 exported as Word and PDF (the same figures, the same charts).

The statistics run in the background with progress and 取消 (a year on the court's full database takes
a few seconds). ``StatisticsPage(db, paths, user)``.
"""

from __future__ import annotations

from baihe_desk.config import Paths
from baihe_desk.models import GeneratedDocument, User
from baihe_desk.services.deadlines import clocks
from baihe_desk.services.statistics import export as statistics_export
from baihe_desk.services.statistics import report as statistics
from baihe_desk.services.statistics.charts import BarChart
from baihe_desk.services.statistics.report import PERIOD_KINDS, Report, days_text, period_of
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.chart_view import chart_view, set_chart
from baihe_desk.ui.common.files import exported_box
from baihe_desk.ui.common.forms import date_field, qdate_to_date
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QTableWidget, QTabWidget, QWidget, Signal
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named, text_label

SUMMARY_HEADERS = ["指标", "本期", "上年同期", "同比 / 说明"]
DEPT_HEADERS = ["部门", "收件", "立案", "上年同期立案", "立案同比", "结案", "超审限结案", "当前超期"]
JUDGE_HEADERS = ["承办法官", "部门", "立案", "结案", "在办", "在办超审限", "临期", "超审限结案"]
MEDIATOR_HEADERS = ["调解员", "进入调解", "调解成功", "调解终结", "成功率"]


def summary_rows(r: Report) -> list[list[str]]:
    """The summary table as shown (and as the report prints it)."""
    overdue = "、".join(f"{k}{v}件" for k, v in r.overdue_now.items()) or "无"
    return [
        ["收件（收到起诉材料）", str(r.received), str(r.received_prev), r.received_change],
        ["立案（民初）", str(r.filed), str(r.filed_prev), r.filed_change],
        ["结案（民初）", str(r.closed), "", ""],
        ["进入诉前调解", str(r.mediation_opened), "", f"调解成功 {r.mediation_succeeded} 件，终结 {r.mediation_failed} 件"],
        ["诉前调解成功率", r.mediation_rate.text, "", ""],
        ["补正率", r.corrections.text, "", f"首轮审查决定 {r.corrections.den} 件，通知补正 {r.corrections.num} 件"],
        ["收件至立案平均天数", days_text(r.days_to_filing), "", f"{r.filed_measured} 件"],
        ["收件至首次成功送达平均天数", days_text(r.days_to_service), "", f"{r.served_measured} 件"],
        ["执行咨询", str(r.consult_sent), "", f"已回复 {r.consult_replied} 件，逾期未复 {r.consult_overdue} 件"],
        ["执行建议采纳率", r.consult_adoption.text, "", ""],
        ["判后答疑申请", str(r.explanation_requests), "", f"已办结 {r.explanation_accepted.den} 件，服判息诉 "
                                                     f"{r.explanation_accepted.num} 件"],
        ["服判息诉率", r.explanation_accepted.text, "", ""],
        ["当前超期事项", str(r.overdue_total), "", f"截至 {r.today}：{overdue}"],
        ["超审限结案", str(r.closed_over_limit), "", ""],
        ["逾期立案", str(r.filed_late), "", ""],
    ]


def _table(name: str, label: str, headers: list[str]) -> QTableWidget:
    return text_table(name, label, headers, alternating=True)


class StatisticsPage(QWidget):
    computed = Signal(object)  # Report
    exported = Signal(list)  # [GeneratedDocument]

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName("statisticsPage")
        clocks.providers()  # import every workflow's models here, before any worker thread queries
        self.report: Report | None = None
        self.busy = False

        self.kind = combo("statsPeriodKind", "统计期间类型", [(text, key) for key, text in PERIOD_KINDS.items()])
        self.kind.setCurrentIndex(list(PERIOD_KINDS).index("month"))
        self.day = date_field("statsDay", "统计期间内的任一日期")
        self.period_label = text_label(name="statsPeriodLabel", wrap=False)
        self.run_button = button("统计(&T)", "statsRun", "开始统计", self.run)
        self.run_button.setDefault(True)
        self.weekly_button = button("导出周通报(&W)…", "statsExportWeekly", "导出周通报（Word 和 PDF）",
                                    lambda: self.export("weekly-bulletin"))
        self.monthly_button = button("导出月分析(&M)…", "statsExportMonthly", "导出月分析（Word 和 PDF）",
                                     lambda: self.export("monthly-analysis"))
        self.summary = _table("statsSummary", "统计指标", SUMMARY_HEADERS)
        self.departments = _table("statsDepartments", "分部门统计", DEPT_HEADERS)
        self.judges = _table("statsJudges", "分承办法官统计", JUDGE_HEADERS)
        self.mediators = _table("statsMediators", "调解员统计", MEDIATOR_HEADERS)
        self.tabs = named(QTabWidget(), "statsTabs", "统计表")
        self.tabs.addTab(self.summary, "总体指标")
        self.tabs.addTab(self.departments, "分部门")
        self.tabs.addTab(self.judges, "分承办法官")
        self.tabs.addTab(self.mediators, "调解员")
        self.chart_departments = chart_view(BarChart("各部门立案数（本期与上年同期）", (), ()), "statsChartDepartments")
        self.chart_rates = chart_view(BarChart("主要指标", (), ()), "statsChartRates")
        self.notes = text_label("统计口径：" + "".join(statistics.NOTES), "statsNotes", style="color: #5f6368;")
        controls = hbox(buddy_label("统计期间(&P)：", self.kind), self.kind, buddy_label("所在日期(&D)：", self.day),
                        self.day, self.run_button, (self.period_label, 1), self.weekly_button, self.monthly_button)
        vbox(controls, (self.tabs, 3), (hbox(self.chart_departments, self.chart_rates), 2), self.notes, parent=self)
        self.setTabOrder(self.kind, self.day)
        self.setTabOrder(self.day, self.run_button)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_period())
        self.day.dateChanged.connect(lambda _d: self._show_period())
        self._show_period()
        self._set_busy(False)

    def period(self) -> statistics.Period:
        return period_of(self.kind.currentData(), qdate_to_date(self.day.date()))

    def _show_period(self) -> None:
        p = self.period()
        self.period_label.setText(f"{p.label}，同比：{p.year_before().label}")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.run_button.setEnabled(not busy)
        week = self.report is not None and self.report.period.kind == "week"
        self.weekly_button.setEnabled(not busy and self.report is not None and week)
        self.monthly_button.setEnabled(not busy and self.report is not None and not week)

    def run(self) -> None:
        if self.busy:
            return
        period = self.period()
        self._set_busy(True)

        def work(session, ctx):  # type: ignore[no-untyped-def]
            def progress(done: int, total: int, label: str) -> None:
                ctx.check()
                ctx.progress(done, total, label)

            return statistics.compute(session, period, progress=progress)

        run_in_background(work, parent=self, db=self.db, on_success=self.show_report,
                          on_finally=lambda: self._set_busy(False), progress=f"正在统计{period.label}…",
                          cancellable=True)

    def show_report(self, r: Report) -> None:
        self.report = r
        fill_table(self.summary, summary_rows(r))
        fill_table(self.departments, [[d.name, str(d.received), str(d.filed), str(d.filed_prev), d.filed_change,
                                  str(d.closed), str(d.closed_over_limit), str(d.open_overdue)]
                                 for d in r.by_department])
        fill_table(self.judges, [[j.name, j.department, str(j.filed), str(j.closed), str(j.open_cases),
                             str(j.open_overdue), str(j.open_near), str(j.closed_over_limit)] for j in r.by_judge])
        fill_table(self.mediators, [[m.name, str(m.opened), str(m.succeeded), str(m.failed), m.rate.text]
                               for m in r.by_mediator])
        charts = statistics_export.report_charts(r)
        set_chart(self.chart_departments, charts["chart_departments"])
        set_chart(self.chart_rates, charts["chart_rates"])
        self.period_label.setText(f"{r.period.label}（截至 {r.today}），同比：{r.previous.label}")
        self._set_busy(False)
        self.computed.emit(r)

    def export(self, kind: str) -> None:
        report, user, paths = self.report, self.user, self.paths
        if report is None or self.busy:
            return
        self._set_busy(True)

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return statistics_export.export_report(session, user, kind, report, paths=paths)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=self._exported,
                          on_finally=lambda: self._set_busy(False), progress="正在生成文书…")

    def _exported(self, records: list[GeneratedDocument]) -> None:
        paths = [self.paths.documents / r.relpath for r in records]
        paths.sort(key=lambda p: p.suffix != ".pdf")  # 打开 opens the PDF
        title = records[0].title if records else "报告"
        exported_box(self, "已导出", f"{title}（第 {records[0].version} 版）已生成：\n" + "\n".join(map(str, paths))
                     if records else "未生成文件。", paths)
        self.exported.emit(records)
