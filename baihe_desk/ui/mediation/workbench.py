"""调解工作台 — the mediator's page at the station: my cases with the days left (overdue in red), and for the
selected case: 签收, 调解记录, 延长期限 (every party's consent), 鉴定评估暂停, 送达地址确认书, 调解结果.

The list comes from ``services.mediation.query.visible_mediations``, which returns only the cases assigned
to the logged-in mediator (the service enforces it, not this page).
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import MediationOutcome, MediationStatus
from baihe_desk.services.mediation import query as mediation_query
from baihe_desk.services.mediation import station as mediation_station
from baihe_desk.services.mediation import views as mediation_views
from baihe_desk.services.mediation.outcome import record_outcome
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.confirm import check_then_confirm
from baihe_desk.ui.common.forms import enter_advances_under
from baihe_desk.ui.common.layout import STRETCH, hbox, pane, scroll_area
from baihe_desk.ui.common.list_detail import ListDetailPage
from baihe_desk.ui.common.qt import QCheckBox, QGroupBox, QLabel, QLineEdit, QTabWidget, QTextBrowser, QWidget
from baihe_desk.ui.common.widgets import ask_yes_no, button, named, text_label
from baihe_desk.ui.mediation.forms import OutcomeForm, date_edit, run_write, set_date, to_date
from baihe_desk.ui.mediation.models import MyMediationsModel
from baihe_desk.ui.mediation.station_forms import AddressForm, ExtensionForm, SessionForm, SuspensionForm

ALL_OUTCOMES = list(MediationOutcome)


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


class MediationWorkbenchPage(ListDetailPage):
    """调解工作台 for mediators. ``MediationWorkbenchPage(db, paths, user)``."""

    DETAIL_KEY = "mediation_id"
    FIND_KEY = "mediation_number"

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "mediationWorkbenchPage", MyMediationsModel, ("myMediationTable", "我的调解案件"),
                         parent)
        self.detail: mediation_views.WorkbenchDetail | None = None
        self.confirm = self._ask  # seam for tests: confirm(title, text) -> bool

        self.search = named(QLineEdit(), "workbenchSearch", "搜索我的调解案件")
        self.search.setPlaceholderText("搜索：民诉前调号、收件号、案由、当事人（回车）")
        self.search.returnPressed.connect(self.refresh)
        self.show_closed = named(QCheckBox("显示已结案件"), "showClosed", "显示已结案件")
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = button("刷新(F5)", "workbenchRefresh", "刷新", self.refresh)
        self.refresh_button.setShortcut("F5")
        self.count = text_label(name="workbenchCount", wrap=False)

        self.record = named(QTextBrowser(), "mediationRecord", "调解案件情况")
        self.record.setOpenLinks(False)
        self.accept_date = date_edit("acceptDate", "签收日期")
        self.accept_button = button("签收移交材料（开始计算调解期限）", "acceptButton", "签收移交材料", self.accept)
        self.accept_box = QGroupBox("签收")
        self.accept_box.setObjectName("acceptBox")
        self.accept_box.setLayout(hbox(QLabel("签收日期"), self.accept_date, self.accept_button, STRETCH))

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
        for form, name, title in ((self.session_form, "sessionTab", "调解记录(&1)"),
                                  (self.extension_form, "extensionTab", "延长期限(&2)"),
                                  (self.suspension_form, "suspensionTab", "鉴定评估(&3)"),
                                  (self.address_form, "addressTab", "送达地址(&4)"),
                                  (self.outcome_form, "outcomeTab", "调解结果(&5)")):
            # each form at its natural height (top-aligned), scrolling when the window is small
            self.tabs.addTab(scroll_area(pane(form, STRETCH, margins=None), name, accessible=title.split("(")[0]), title)
        self.status = text_label(name="workbenchStatus")
        for f in (self.accept_box, self.session_form, self.extension_form, self.suspension_form, self.address_form):
            enter_advances_under(f)  # Enter moves on, as Tab does

        left = pane(hbox((self.search, 1), self.show_closed, self.refresh_button, self.count), (self.table, 3),
                    (self.record, 2))
        self.set_panes("workbenchSplitter", left, pane(self.accept_box, (self.tabs, 1), self.status),
                       stretch=(1, 1))  # at 125 % the five tabs did not fit a 2/5 pane (调解结果 hidden)
        self.show_detail(None)
        self.refresh()

    def forget_case_inputs(self) -> None:
        super().forget_case_inputs()
        self.status.clear()

    def _ask(self, title: str, text: str) -> bool:
        return ask_yes_no(self, title, text, default_yes=False)

    # -- loading ---------------------------------------------------------------------------------------------
    def list_query(self):  # type: ignore[no-untyped-def]
        user, text, closed = self.user, self.search.text(), self.show_closed.isChecked()
        return lambda s: mediation_query.visible_mediations(s, user, include_closed=closed, text=text)

    def listed(self, rows: list[mediation_query.MediationRow]) -> None:
        overdue = sum(r.overdue for r in rows)
        self.count.setText(f"共 {len(rows)} 件" + (f"，超期 {overdue} 件" if overdue else ""))
        if self.detail is None:  # the hint beside the list says what the list shows (same rows)
            self.record.setHtml(self._empty_hint(rows))

    def detail_query(self, mediation_id: uuid.UUID):  # type: ignore[no-untyped-def]
        user = self.user
        return lambda s: mediation_views.workbench_detail(s, user, mediation_id)

    def show_detail(self, d: mediation_views.WorkbenchDetail | None) -> None:
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
            self.record.setHtml(self._empty_hint(self.model.rows))
            return
        self.record.setHtml(record_html(d))
        set_date(self.accept_date, None)
        self.extension_form.set_parties(d.parties)
        self.address_form.set_parties(d.parties)
        self.suspension_form.set_suspensions(d.suspensions)
        self.outcome_form.set_detail(d)
        if d.period.overdue:
            self.outcome_form.select(MediationOutcome.EXPIRED)

    def _empty_hint(self, rows: list) -> str:
        if rows:
            return f"<p>共 {len(rows)} 件，请在上方选择调解案件。</p>"
        if self.search.text().strip():
            return "<p>没有符合搜索条件的调解案件。</p>"
        return "<p>目前没有委派给您的调解案件。</p>" if not self.show_closed.isChecked() else "<p>没有调解案件。</p>"

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
        mid = d.mediation_id

        def question(number: str | None) -> str:
            then = f"，案号 {number}" if number else ""
            return f"确认登记“{data.outcome.label}”？{follow}{then}。登记后不能撤销。"

        check_then_confirm(self, self.db, lambda s: record_outcome(s, user, mid, data).number, title="登记调解结果",
                           text=question, confirm=self.confirm, on_yes=lambda: self._record_outcome(mid, data))

    def _record_outcome(self, mid, data) -> None:  # type: ignore[no-untyped-def]
        user = self.user

        def done(number: str | None) -> str:
            if data.outcome.agreement:
                return f"已登记调解结果：{data.outcome.label}" + (f"，案号 {number}。" if number else "。")
            return f"调解终结，已登记立案，案号 {number}。"

        self._write(lambda s: record_outcome(s, user, mid, data).number, "正在登记调解结果…", done,
                    self.outcome_form.clear)
