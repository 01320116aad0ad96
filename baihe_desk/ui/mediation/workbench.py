"""调解工作台 — the mediator's page at the station: my cases with the days left (overdue in red), and for the
selected case: 签收, 调解记录, 延长期限 (every party's consent), 鉴定评估暂停, 送达地址确认书, 调解结果.

The list comes from ``services.mediation_query.visible_mediations``, which returns only the cases assigned
to the logged-in mediator (the service enforces it, not this page).
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from PySide6.QtWidgets import QGroupBox, QSplitter, QTabWidget

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import MediationOutcome, MediationStatus
from baihe_desk.services.mediation import query as mediation_query
from baihe_desk.services.mediation import station as mediation_station
from baihe_desk.services.mediation import views as mediation_views
from baihe_desk.services.mediation.outcome import record_outcome
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.mediation.forms import OutcomeForm, date_edit, run_write, set_date, to_date
from baihe_desk.ui.mediation.models import MyMediationsModel
from baihe_desk.ui.mediation.station_forms import AddressForm, ExtensionForm, SessionForm, SuspensionForm

ALL_OUTCOMES = list(MediationOutcome)


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    """A tab's form at its natural height (top-aligned), scrolling when the window is small."""
    inner = QWidget()
    v = QVBoxLayout(inner)
    v.addWidget(widget)
    v.addStretch(1)
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


def record_html(d: mediation_views.WorkbenchDetail) -> str:
    """The case's mediation file as text: parties, period with its reasoning, sessions, extensions, outcome."""
    p = d.period
    out = [f"<h3>{escape(d.mediation_number)}　{escape(d.cause_name)}</h3>",
           "<p>" + "；".join(f"{escape(x.role)}：{escape(x.name)}" for x in d.parties) + "</p>",
           f"<p>收件号 {escape(d.receipt_number)}　调解组织：{escape(d.organisation)}　调解员：{escape(d.mediator)}"
           f"　状态：<b>{escape(d.status.label)}</b></p>"]
    if p.due is not None:
        colour = "#c62828" if p.overdue else "#1b5e20"
        out.append(f"<p>调解期限：<b style='color:{colour}'>{escape(p.text)}</b>（到期日 {p.due}）</p>")
        out.append("<p style='color:#5f6368'>" + "<br>".join(escape(s) for s in p.steps) + "</p>")
        out += [f"<p style='color:#8a6d00'>注意：{escape(w)}</p>" for w in p.warnings]
    else:
        out.append("<p>调解期限：尚未签收，未起算（自签收移交材料之次日起算）。</p>")
    for c in d.cautions:
        out.append(f"<p style='color:#8a6d00'>提示：{escape(c)}</p>")
    if d.sessions:
        out.append("<h4>调解记录</h4>")
        for i, s in enumerate(d.sessions, 1):
            out.append(f"<p><b>第{i}次</b>　{s.held_on}　{escape(s.place)}<br>到场：{escape(s.attendees)}"
                       f"<br>一致：{escape(s.agreed) or '—'}<br>争议：{escape(s.disputed) or '—'}</p>")
    for e in d.extensions:
        out.append(f"<p>延长 {e.days} 日（{e.agreed_on}）：{escape(e.consents)}　{escape(e.reason)}</p>")
    if d.outcome is not None:
        out.append(f"<h4>调解结果：{escape(d.outcome.label)}（{d.outcome_on}）</h4>")
        if d.outcome_number:
            out.append(f"<p>案号：<b>{escape(d.outcome_number)}</b>　应交诉讼费：{d.fee_total} 元</p>")
        out += [f"<p style='color:#5f6368'>{escape(s)}</p>" for s in d.fee_steps]
        if d.filed_case_number:
            out.append(f"<p>已登记立案：<b>{escape(d.filed_case_number)}</b></p>")
        if d.agreement_text:
            out.append(f"<p>协议内容：{escape(d.agreement_text)}</p>")
        if d.undisputed_facts:
            out.append(f"<p>无争议事实：{escape(d.undisputed_facts)}</p>")
    return "".join(out)


class MediationWorkbenchPage(QWidget):
    """调解工作台 for mediators. ``MediationWorkbenchPage(db, paths, user)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mediationWorkbenchPage")
        self.db, self.paths, self.user = db, paths, user
        self.detail: mediation_views.WorkbenchDetail | None = None
        self.confirm = self._ask  # seam for tests: confirm(title, text) -> bool
        self.loads = 0  # finished detail loads (tests wait on it)
        self._generation = 0  # only the latest load is shown (an older one may finish later)

        self.search = named(QLineEdit(), "workbenchSearch", "搜索我的调解案件")
        self.search.setPlaceholderText("搜索：民诉前调号、收件号、案由、当事人（回车）")
        self.search.returnPressed.connect(self.refresh)
        self.show_closed = named(QCheckBox("显示已结案件"), "showClosed", "显示已结案件")
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = named(QPushButton("刷新(F5)"), "workbenchRefresh", "刷新")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        self.count = QLabel()
        self.count.setObjectName("workbenchCount")
        self.model = MyMediationsModel(self)
        self.table = named(QTableView(), "myMediationTable", "我的调解案件")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._row_selected(cur.row()))

        self.record = named(QTextBrowser(), "mediationRecord", "调解案件情况")
        self.record.setOpenLinks(False)
        self.accept_date = date_edit("acceptDate", "签收日期")
        self.accept_button = named(QPushButton("签收移交材料（开始计算调解期限）"), "acceptButton", "签收移交材料")
        self.accept_button.clicked.connect(self.accept)
        accept_row = QHBoxLayout()
        accept_row.addWidget(QLabel("签收日期"))
        accept_row.addWidget(self.accept_date)
        accept_row.addWidget(self.accept_button)
        accept_row.addStretch(1)
        self.accept_box = QGroupBox("签收")
        self.accept_box.setObjectName("acceptBox")
        self.accept_box.setLayout(accept_row)

        self.session_form = SessionForm()
        self.session_form.submitted.connect(self.add_session)
        self.extension_form = ExtensionForm()
        self.extension_form.submitted.connect(self.extend)
        self.suspension_form = SuspensionForm()
        self.suspension_form.started.connect(self.start_suspension)
        self.suspension_form.ended.connect(self.end_suspension)
        self.address_form = AddressForm()
        self.address_form.submitted.connect(self.add_address)
        self.outcome_form = OutcomeForm(ALL_OUTCOMES, prefix="outcome")
        self.outcome_form.submitted.connect(self.record_outcome)
        self.tabs = named(QTabWidget(), "workbenchTabs", "调解工作")
        self.tabs.addTab(_scrolled(self.session_form, "sessionTab"), "调解记录(&1)")
        self.tabs.addTab(_scrolled(self.extension_form, "extensionTab"), "延长期限(&2)")
        self.tabs.addTab(_scrolled(self.suspension_form, "suspensionTab"), "鉴定评估(&3)")
        self.tabs.addTab(_scrolled(self.address_form, "addressTab"), "送达地址(&4)")
        self.tabs.addTab(_scrolled(self.outcome_form, "outcomeTab"), "调解结果(&5)")
        self.status = QLabel()
        self.status.setObjectName("workbenchStatus")
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_closed)
        top.addWidget(self.refresh_button)
        top.addWidget(self.count)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.table, 3)
        lv.addWidget(self.record, 2)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.accept_box)
        rv.addWidget(self.tabs, 1)
        rv.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("workbenchSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self._show(None)
        self.refresh()

    def _ask(self, title: str, text: str) -> bool:
        from baihe_desk.ui.common.widgets import ask_yes_no

        return ask_yes_no(self, title, text, default_yes=False)

    # -- loading ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        user, text, closed = self.user, self.search.text(), self.show_closed.isChecked()
        keep = self.detail.mediation_id if self.detail else None

        def done(rows: list[mediation_query.MediationRow]) -> None:
            self.model.set_rows(rows)
            overdue = sum(r.overdue for r in rows)
            self.count.setText(f"共 {len(rows)} 件" + (f"，超期 {overdue} 件" if overdue else ""))
            ids = [r.id for r in rows]
            if keep in ids:
                self.table.selectRow(ids.index(keep))

        run_in_background(lambda s, _c: mediation_query.visible_mediations(s, user, include_closed=closed, text=text),
                          parent=self, db=self.db, on_success=done)

    def _row_selected(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.load(self.model.rows[row].id)

    def load(self, mediation_id: uuid.UUID) -> None:
        user = self.user
        self._generation += 1
        generation = self._generation

        def done(d: mediation_views.WorkbenchDetail) -> None:
            if generation != self._generation:
                return
            self._show(d)
            self.loads += 1

        run_in_background(lambda s, _c: mediation_views.workbench_detail(s, user, mediation_id), parent=self,
                          db=self.db, on_success=done)

    def select_case(self, mediation_number: str) -> bool:
        numbers = [r.mediation_number for r in self.model.rows]
        if mediation_number not in numbers:
            return False
        self.table.setFocus()
        self.table.selectRow(numbers.index(mediation_number))
        return True

    def _show(self, d: mediation_views.WorkbenchDetail | None) -> None:
        previous = (self.detail.mediation_id, self.detail.status) if self.detail else None
        self.detail = d
        running = d is not None and d.status is MediationStatus.IN_PROGRESS
        self.accept_box.setVisible(d is not None and d.status is MediationStatus.ASSIGNED)
        self.tabs.setEnabled(d is not None and d.status in (MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS))
        for i in (0, 1, 2, 4):
            self.tabs.setTabEnabled(i, running)
        if d is not None and ((d.mediation_id, d.status) != previous
                              or not self.tabs.isTabEnabled(self.tabs.currentIndex())):
            self.tabs.setCurrentIndex(0 if running else 3)  # a new case opens on 调解记录
        if d is None:
            self.record.setHtml("<p>请在上方选择调解案件。</p>" if self.model.rows else "<p>目前没有委派给您的调解案件。</p>")
            return
        self.record.setHtml(record_html(d))
        set_date(self.accept_date, None)
        self.extension_form.set_parties(d.parties)
        self.address_form.set_parties(d.parties)
        self.suspension_form.set_suspensions(d.suspensions)
        self.outcome_form.set_detail(d)
        if d.period.overdue:
            self.outcome_form.select(MediationOutcome.EXPIRED)

    # -- actions ---------------------------------------------------------------------------------------------
    def _write(self, fn, busy: str, done, after_extra=None) -> None:  # type: ignore[no-untyped-def]
        if self.detail is None:
            return
        mid = self.detail.mediation_id

        def after(result: Any) -> None:
            if after_extra is not None:
                after_extra()
            self.load(mid)
            self.refresh()

        run_write(self, self.db, fn, status=self.status, busy=busy, done=done, after=after)

    def accept(self) -> None:
        mid, user, on = self.detail.mediation_id if self.detail else None, self.user, to_date(self.accept_date)
        if mid is None:
            return
        self._write(lambda s: mediation_station.accept(s, user, mid, accepted_on=on).due_on, "正在签收…",
                    lambda due: f"已签收，调解期限至 {due}。")

    def add_session(self, data) -> None:  # type: ignore[no-untyped-def]
        mid, user = self.detail.mediation_id if self.detail else None, self.user
        self._write(lambda s: mediation_station.add_session(s, user, mid, data).held_on, "正在保存调解记录…",
                    lambda on: f"已添加 {on} 的调解记录。", self.session_form.clear)

    def extend(self, value) -> None:  # type: ignore[no-untyped-def]
        days, consents, on, reason = value
        mid, user = self.detail.mediation_id if self.detail else None, self.user

        def fn(s):  # type: ignore[no-untyped-def]
            mediation_station.extend(s, user, mid, days, consents, agreed_on=on, reason=reason)
            return mediation_station.refresh_due(s, mediation_station.get_record(s, mid),
                                                 today=mediation_station.today()).due

        self._write(fn, "正在延长调解期限…", lambda due: f"已延长 {days} 日，调解期限至 {due}。")

    def start_suspension(self, value) -> None:  # type: ignore[no-untyped-def]
        kind, start, institution = value
        mid, user = self.detail.mediation_id if self.detail else None, self.user
        self._write(lambda s: mediation_station.start_suspension(s, user, mid, kind, start, institution=institution).kind.label,
                    "正在登记…", lambda k: f"已登记{k}，调解期限暂停计算。")

    def end_suspension(self, value) -> None:  # type: ignore[no-untyped-def]
        sid, end = value
        user = self.user
        self._write(lambda s: mediation_station.end_suspension(s, user, sid, end).ended_on, "正在登记…",
                    lambda on: f"已登记鉴定评估于 {on} 结束，调解期限继续计算。")

    def add_address(self, value) -> None:  # type: ignore[no-untyped-def]
        party_id, data = value
        mid, user = self.detail.mediation_id if self.detail else None, self.user
        self._write(lambda s: mediation_station.record_address_confirmation(s, user, mid, party_id, data).text,
                    "正在登记送达地址确认书…", lambda text: f"已登记送达地址确认书：{text}")

    def record_outcome(self, data) -> None:  # type: ignore[no-untyped-def]
        if self.detail is None:
            return
        d, user = self.detail, self.user
        follow = "达成协议，调解案件结案" if data.outcome.agreement else "调解终结，本院将立即登记立案"
        if not self.confirm("登记调解结果", f"确认登记“{data.outcome.label}”？{follow}。登记后不能撤销。"):
            return
        mid = d.mediation_id

        def done(number: str | None) -> str:
            if data.outcome.agreement:
                return f"已登记调解结果：{data.outcome.label}" + (f"，案号 {number}。" if number else "。")
            return f"调解终结，已登记立案，案号 {number}。"

        self._write(lambda s: record_outcome(s, user, mid, data).number, "正在登记调解结果…", done,
                    self.outcome_form.clear)
