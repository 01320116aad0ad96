"""工作台（超期预警）— the user's overdue and near-due counts (临期 = within the court setting
``queues.near_due_days``), a chart of them by kind, the most urgent items; for a 庭长, 分管院长 or the
administrator, a list per department they lead or oversee with its counts and chart.

``open_requested(case_id, step)`` as on the queue page. Loading runs in the background; F5 refreshes.
"""

from __future__ import annotations

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.deadlines import queues
from baihe_desk.services.statistics.charts import BLUE, GREY, RED, BarChart, Series
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.chart_view import chart_view, set_chart
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.list_detail import text_table
from baihe_desk.ui.common.qt import QGridLayout, QHeaderView, QLabel, Qt, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import text_label
from baihe_desk.ui.deadlines.queue_model import (
    COL_CASE,
    COL_DEPT,
    COL_DETAIL,
    COL_DUE,
    COL_LABEL,
    COL_LEFT,
    COL_STATE,
    COL_STEP,
    QueueTableModel,
)
from baihe_desk.ui.deadlines.queue_page import DeadlinePage, make_table

URGENT_ROWS = 15
AMBER = "#c77c02"
TILE_STYLE = ("QLabel {{ border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 16px; background: #fafbfc; }}"
              "QLabel {{ color: {color}; }}")


def _tile(name: str) -> QLabel:
    tile = QLabel("—")
    tile.setObjectName(name)
    tile.setTextFormat(Qt.TextFormat.RichText)
    tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
    tile.setMinimumWidth(150)
    return tile


KIND_SHORT = {  # chart axis labels (the table says it in full)
    "filing_decision": "立案", "correction": "补正", "mediation_window": "调解告知", "mediation_accept": "待签收",
    "mediation": "调解", "consult_reply": "咨询回复", "consult_adoption": "建议采纳", "appeal": "上诉期",
    "explanation_tier": "答疑", "public_notice": "公告", "trial_limit": "审限",
}


def fit_columns(table) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's table fits beside its chart: no 办理环节/部门 (one's own items), the 情况 column
    takes what is left (its full text in the tooltip), nothing cut off behind a scroll bar."""
    header = table.horizontalHeader()
    for column in (COL_STEP, COL_DEPT):
        table.setColumnHidden(column, True)
    for column in (COL_STATE, COL_LABEL, COL_CASE, COL_DUE, COL_LEFT):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)


def kind_chart(d: queues.Dashboard) -> BarChart:
    kinds = [k for k in queues.KIND_LABELS if k in d.by_kind]
    c = [d.by_kind[k] for k in kinds]
    return BarChart("我的待办（按事项）", tuple(KIND_SHORT.get(k, queues.KIND_LABELS[k]) for k in kinds), (
        Series("已超期", tuple(float(x.overdue) for x in c), RED),
        Series(f"临期（{d.near_days}日内）", tuple(float(x.near) for x in c), AMBER),
        Series("其他", tuple(float(x.total - x.overdue - x.near) for x in c), GREY)))


def department_chart(d: queues.Dashboard) -> BarChart:
    return BarChart("各部门待办与预警", tuple(dl.name for dl in d.departments), (
        Series("已超期", tuple(float(dl.counts.overdue) for dl in d.departments), RED),
        Series(f"临期（{d.near_days}日内）", tuple(float(dl.counts.near) for dl in d.departments), AMBER),
        Series("待办合计", tuple(float(dl.counts.total) for dl in d.departments), BLUE)))


class DashboardPage(DeadlinePage):
    """工作台. ``DashboardPage(db, paths, user)``."""

    QUERY = staticmethod(queues.dashboard)
    PROGRESS = "正在汇总期限与预警…"

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "dashboardPage", ("dashboardRefresh", "刷新工作台"), parent)
        self.data: queues.Dashboard | None = None

        title = text_label(f"工作台 — {user.display_name}（{user.role.label}）", wrap=False,
                           style="font-size: 15pt; font-weight: bold;")
        self.as_of = text_label(name="dashboardAsOf", wrap=False)
        self.tile_overdue, self.tile_near, self.tile_total = (_tile("tileOverdue"), _tile("tileNear"),
                                                             _tile("tileTotal"))
        self.kind_chart = chart_view(BarChart("我的待办（按事项）", (), ()), "dashboardKindChart", stacked=True)
        self.urgent_model = QueueTableModel(self)
        self.urgent = make_table(self.urgent_model, "dashboardUrgent", "最紧急的待办事项")
        fit_columns(self.urgent)
        self.dept_table = text_table("dashboardDepartments", "各部门待办与预警", ["部门", "待办", "已超期", "临期"],
                                     single=True, stretch_last=False)
        self.dept_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.dept_chart = chart_view(BarChart("各部门待办与预警", (), ()), "dashboardDeptChart")
        self.dept_model = QueueTableModel(self)
        self.dept_entries = make_table(self.dept_model, "dashboardDeptEntries", "所选部门的待办事项")

        self.mine_box = QWidget()
        self.mine_box.setObjectName("dashboardMine")
        mine = QGridLayout(self.mine_box)
        mine.setContentsMargins(0, 0, 0, 0)
        mine.addWidget(self.kind_chart, 0, 0)
        mine.addLayout(vbox(QLabel("最紧急的待办（已超期在前，再按到期日）："), self.urgent), 0, 1)
        mine.setColumnStretch(0, 1)
        mine.setColumnStretch(1, 3)
        self.leader = QWidget()
        self.leader.setObjectName("dashboardLeader")
        lead = QGridLayout(self.leader)
        lead.setContentsMargins(0, 0, 0, 0)
        lead.addWidget(QLabel("各部门（庭长、分管院长查看本部门）："), 0, 0)
        lead.addWidget(self.dept_table, 1, 0)
        lead.addWidget(self.dept_chart, 1, 1)
        lead.addWidget(QLabel("所选部门的待办："), 2, 0, 1, 2)
        lead.addWidget(self.dept_entries, 3, 0, 1, 2)
        lead.setColumnStretch(0, 2)
        lead.setColumnStretch(1, 3)
        lead.setRowStretch(1, 2)
        lead.setRowStretch(3, 3)
        self.leader.setVisible(False)
        vbox(hbox(title, STRETCH, self.as_of, self.refresh_button),
             hbox(self.tile_overdue, self.tile_near, self.tile_total, STRETCH), (self.mine_box, 2), (self.leader, 3),
             parent=self)

        for table, model in ((self.urgent, self.urgent_model), (self.dept_entries, self.dept_model)):
            table.open_requested.connect(lambda idx, m=model: self.open_entry(m, idx))
            table.doubleClicked.connect(lambda idx, m=model: self.open_entry(m, idx))
        self.dept_table.currentCellChanged.connect(lambda row, *_: self._show_department(row))
        self.setFocusProxy(self.urgent)
        self.refresh()

    def show_loaded(self, d: queues.Dashboard) -> None:
        self.data = d
        self.as_of.setText(f"截至 {d.today.isoformat()}")
        c, scope = d.counts, ""
        if not d.mine and d.departments:  # a leader without items of their own: the departments' totals
            scope = "所辖部门"
            c = queues.Counts(sum(x.counts.total for x in d.departments), sum(x.counts.overdue for x in d.departments),
                              sum(x.counts.near for x in d.departments))
        self.mine_box.setVisible(bool(d.mine) or not d.departments)
        for tile, label, n, color in ((self.tile_overdue, f"{scope}已超期", c.overdue, "#b3261e"),
                                      (self.tile_near, f"{scope}临期（{d.near_days}日内）", c.near, AMBER),
                                      (self.tile_total, f"{scope}待办合计", c.total, "#1f2328")):
            tile.setText(f"<div style='font-size:22pt; font-weight:bold'>{n}</div><div>{label}</div>")
            tile.setStyleSheet(TILE_STYLE.format(color=color))
            tile.setAccessibleName(f"{label} {n} 项")
        set_chart(self.kind_chart, kind_chart(d), stacked=True)
        self.urgent_model.set_entries(d.mine[:URGENT_ROWS])
        self.leader.setVisible(bool(d.departments))
        self.dept_table.setRowCount(len(d.departments))
        for r, dl in enumerate(d.departments):
            for col, text in enumerate((dl.name, str(dl.counts.total), str(dl.counts.overdue), str(dl.counts.near))):
                item = QtWidgets.QTableWidgetItem(text)
                if col == 2 and dl.counts.overdue:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.dept_table.setItem(r, col, item)
        if d.departments:
            set_chart(self.dept_chart, department_chart(d))
            self.dept_table.setCurrentCell(0, 0)
            self._show_department(0)

    def _show_department(self, row: int) -> None:
        if self.data is None or not 0 <= row < len(self.data.departments):
            return
        self.dept_model.set_entries(self.data.departments[row].entries)
