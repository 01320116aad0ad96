"""立案审查 — the filing clerk's page: the list of cases awaiting review (7-day clock), and for the
chosen case the guided review, the outcome, the procedure suggestion, the fee calculator and the
service addresses.

``FilingReviewPage(db, paths, user)``; ``open_case(case_id)`` opens a case (e.g. the case list's
selection: ``attach_case_list(case_list_page)``). Signals: ``case_changed(case_id)`` after anything
was recorded (refresh the case list), ``mediation_referred(case_id)`` when a case went to 诉前调解.
"""

from __future__ import annotations

import uuid
from html import escape

from baihe_desk.config import Paths
from baihe_desk.models import Case, User
from baihe_desk.models.review import ComplaintReview
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.forms import date_field, qdate_to_date, to_qdate
from baihe_desk.ui.common.layout import STRETCH, hbox, pane, shortcut
from baihe_desk.ui.common.list_detail import ListDetailPage
from baihe_desk.ui.common.qt import QKeySequence, QLabel, QTabWidget, QWidget, Signal
from baihe_desk.ui.common.widgets import buddy_label, button, named, text_label
from baihe_desk.ui.filing.address import ServiceAddressPanel
from baihe_desk.ui.filing.checklist import ChecklistPanel
from baihe_desk.ui.filing.outcome import OutcomePanel
from baihe_desk.ui.filing.procedure import FeePanel, ProcedurePanel
from baihe_desk.ui.filing.queue import QueueModel, QueueTable
from baihe_desk.ui.filing.state import QueueRow, ReviewView, load_queue, load_review_view

RED, GREY, AMBER = "#b3261e", "#5f6368", "#8a5a00"


class FilingReviewPage(ListDetailPage):
    case_changed = Signal(object)
    mediation_referred = Signal(object)

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "filingReviewPage", QueueModel, ("filingQueue", "待审查案件"), parent,
                         view=QueueTable(), stretch_last=False, stretch=(1,), wrap=False, tab_keys=False)
        self.case_id: uuid.UUID | None = None
        self.view: ReviewView | None = None
        self.pending: list[tuple[uuid.UUID, str, str, str]] = []  # answers waiting to be saved, in order
        self.saving = False
        self.reload_wanted = False
        self.list_case: uuid.UUID | None = None
        self.date_mode: tuple | None = None  # (case, start/resubmit) the date field was last filled for

        # -- left: the queue ---------------------------------------------------------------------
        self.queue_model, self.queue = self.model, self.table
        self.queue.open_requested.connect(self.open_case)
        self.refresh_button = button("刷新(F5)", "refreshQueue", "刷新待审查案件", self.refresh_queue)
        self.from_list = button("审查案件列表中所选的案件", "openListCase", "审查案件列表中所选的案件", self._open_list_case)
        self.from_list.setEnabled(False)
        left = pane(QLabel("<b>待审查案件</b>（七日立案期限：民事诉讼法第一百二十六条）"), (self.queue, 1),
                    hbox(self.refresh_button, self.from_list))

        # -- right: the case ---------------------------------------------------------------------
        self.header = text_label("请从左侧选择一件待审查的案件。", "caseHeader", selectable=True)
        self.clock = text_label(name="filingClock")
        self.received = date_field("materialsReceivedOn", "收到材料日期", maximum=desk_today())
        self.start_button = button("开始立案审查(&S)", "startReview", "开始立案审查", self.start_review)
        self.resubmit_button = button("补正后重新审查(&B)", "resubmitReview", "补正后重新审查", self.resubmit,
                                      tip="当事人提交补正材料后，从上轮补正事项开始重新审查；七日立案期限自补正材料交到之日的次日重新起算")
        self.received_label = buddy_label("收到材料日期：", self.received)
        self.previous = text_label(name="previousDefects")

        self.checklist = ChecklistPanel(self)
        self.checklist.answer_requested.connect(self.save_answer)
        self.outcome = OutcomePanel(db, paths, user, self)
        self.outcome.flags_changed.connect(self.reload_view)
        self.outcome.finished.connect(self._finished)
        self.outcome.reload_wanted.connect(self.reload_view)
        self.outcome.mediation_referred.connect(self.mediation_referred)
        self.procedure = ProcedurePanel(db, user, self)
        self.fees = FeePanel(self)
        self.procedure.loaded.connect(self.fees.set_case_info)
        self.procedure.saved.connect(self._emit_changed)
        self.addresses = ServiceAddressPanel(db, paths, user, self)
        self.addresses.changed.connect(self._emit_changed)
        self.tabs = named(QTabWidget(), "filingTabs", "立案工作")
        self.tabs.addTab(pane((self.checklist, 3), self.outcome, margins=None), "立案审查")
        self.tabs.addTab(pane(self.procedure, (self.fees, 1), margins=None), "审理程序与诉讼费")
        self.tabs.addTab(self.addresses, "送达地址")
        start_row = hbox(self.received_label, self.received, self.start_button, self.resubmit_button, STRETCH)
        right = pane(self.header, self.clock, start_row, self.previous, (self.tabs, 1))
        self.set_panes("filingSplitter", left, right, stretch=(0, 3), sizes=(400, 1040), margins=0)
        shortcut(self, QKeySequence.StandardKey.Refresh, self.refresh_queue)
        self._apply_view(None)
        self.refresh_queue()

    # -- case selection ------------------------------------------------------------------------
    def attach_case_list(self, case_list) -> None:  # type: ignore[no-untyped-def]
        """Follow the case list's selection: the 审查案件列表中所选的案件 button opens it here."""
        def follow(case_id) -> None:  # type: ignore[no-untyped-def]
            self.list_case = case_id
            self.from_list.setEnabled(case_id is not None)

        case_list.current_case_changed.connect(follow)
        follow(case_list.current_case_id())

    def _open_list_case(self) -> None:
        if self.list_case is not None:
            self.open_case(self.list_case)

    def _emit_changed(self, *_args: object) -> None:
        self.case_changed.emit(self.case_id)

    def refresh_queue(self) -> None:
        self.list_rows(load_queue)

    def live_refresh(self) -> None:
        """Another desk changed something: the queue again, and the open review unless the clerk is typing a
        说明 (then their save meets the other desk's change as a conflict, with both texts, instead of the
        sheet changing under their hands)."""
        self.list_rows(load_queue, keep=self.case_id, key="case_id", quiet=True)
        item = self.checklist.current_item()
        typing = self.checklist.note.hasFocus() and item is not None and self.checklist.note.text() != item.note
        if self.case_id is not None and not (self.pending or self.saving or typing):
            self.reload_view()

    def row_selected(self, row: QueueRow) -> None:
        if row.case_id != self.case_id:
            self.open_case(row.case_id)

    def open_case(self, case_id: uuid.UUID) -> None:
        if case_id != self.case_id:
            self.pending.clear()
            self.forget_case_inputs()
        self.case_id = case_id
        self.reload_view()
        self.procedure.set_case(case_id)
        self.addresses.set_case(case_id)

    def reload_view(self) -> None:
        if self.case_id is None:
            return
        case_id, flags = self.case_id, self.outcome.flags()
        self.load_latest(lambda s, _c: load_review_view(s, case_id, **flags), self._view_loaded)

    def _view_loaded(self, view: ReviewView) -> None:
        if self.pending or self.saving:
            self.reload_wanted = True  # answers are being saved: load again once they are
            return
        self._apply_view(view)

    def _apply_view(self, view: ReviewView | None, *, keep_row: bool = True) -> None:
        same_round = view is not None and self.view is not None and view.review_id == self.view.review_id
        self.view = view
        may_review = allowed(self.user, Perm.CASE_REVIEW)
        if view is None:
            self.header.setText("请从左侧选择一件待审查的案件，或在案件列表中选中案件后点“审查案件列表中所选的案件”。")
            self.clock.setText("")
            self.previous.setText("")
            for w in (self.received, self.start_button, self.resubmit_button, self.received_label):
                w.setVisible(False)
            self.checklist.set_sheet([], editable=False)
            self.outcome.set_view(None)
            return
        number = view.case_number or f"收件号 {view.receipt_number}"
        self.header.setText(f"<b>{escape(number)}</b>　{escape(view.cause)}　{escape(view.parties)}　"
                            f"<span style='color:{GREY}'>阶段：{view.stage.label}"
                            + (f"；第{view.round_no}轮审查（清单 {view.checklist_version} 版）" if view.round_no else "")
                            + "</span>")
        c = view.clock
        color = RED if c.overdue else AMBER if c.state == "running" and (c.days_left or 0) <= 1 else GREY
        warn = "".join(f"<br><span style='color:{AMBER}'>{escape(w)}</span>" for w in c.warnings)
        self.clock.setText(f"<span style='color:{color}'>{escape(c.message)}</span>{warn}")
        self.start_button.setVisible(view.can_start)
        self.resubmit_button.setVisible(view.can_resubmit)
        show_date = view.can_start or view.can_resubmit
        for w in (self.received, self.received_label):
            w.setVisible(show_date)
        self.received_label.setText("收到补正材料日期：" if view.can_resubmit else "收到起诉材料日期：")
        self.start_button.setEnabled(may_review)
        self.resubmit_button.setEnabled(may_review)
        mode = (view.case_id, "resubmit" if view.can_resubmit else "start") if show_date else None
        if mode is not None and mode != self.date_mode:  # a fresh date when the question changes
            self.received.setMinimumDate(to_qdate(min(view.received_on, desk_today())))
            self.received.setDate(to_qdate(desk_today() if view.can_resubmit else view.received_on))
        self.date_mode = mode
        self.previous.setText(self._previous_text(view))
        self.checklist.set_sheet(view.sheet, editable=view.review_open and may_review, keep_row=same_round and keep_row)
        self.outcome.set_view(view)

    @staticmethod
    def _previous_text(view: ReviewView) -> str:
        if view.can_resubmit and view.outcome_reasons:
            items = view.outcome_reasons
            head = f"已通知补正（补正期限至 {view.correction_deadline}）。补正事项："
        elif view.previous_defects and view.review_open:
            items = view.previous_defects
            head = "本轮从上轮补正事项开始审查，上轮通知补正的事项："
        else:
            return ""
        rows = "；".join(f"{i}．{escape(d.get('defect', ''))}" + (f"（{escape(d['note'])}）" if d.get("note") else "")
                        for i, d in enumerate(items, 1))
        return f"<span style='color:{AMBER}'>{head}{rows}</span>"

    # -- review actions ------------------------------------------------------------------------
    def _round(self, resubmit: bool) -> None:
        if self.case_id is None:
            return
        case_id, user, on = self.case_id, self.user, qdate_to_date(self.received.date())
        flags = self.outcome.flags()

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            case = session.get(Case, case_id)
            (cr.resubmit if resubmit else cr.start_review)(session, user, case, on)
            return load_review_view(session, case_id, **flags)

        def done(view: ReviewView) -> None:
            self._apply_view(view, keep_row=False)
            self.checklist.table.setFocus()
            self.refresh_queue()
            self.case_changed.emit(case_id)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done)

    def start_review(self) -> None:
        self._round(False)

    def resubmit(self) -> None:
        self._round(True)

    def save_answer(self, item_id: str, value: str, note: str) -> None:
        if self.view is None or self.view.review_id is None:
            return
        self.pending.append((self.view.review_id, item_id, value, note))
        self._next_save()

    def _next_save(self) -> None:
        if self.saving or not self.pending:
            return
        self.saving = True
        review_id, item_id, value, note = self.pending.pop(0)
        user, case_id, flags = self.user, self.case_id, self.outcome.flags()

        expected = self.view.review_version if self.view is not None else None

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            cr.answer(session, user, session.get(ComplaintReview, review_id), item_id, value, note,
                      expected_version=expected)
            return load_review_view(session, case_id, **flags)

        def done(view: ReviewView) -> None:
            if view.case_id != self.case_id:
                return
            if not self.pending:
                self._apply_view(view)
            elif self.view is not None:
                self.view.review_version = view.review_version  # the next queued answer builds on this save

        def failed(exc: BaseException) -> None:
            from baihe_desk.ui.common.widgets import show_known_error

            self.pending.clear()
            show_known_error(self, exc)  # type: ignore[arg-type]
            self.reload_view()

        def after() -> None:
            self.saving = False
            self._next_save()
            if not self.saving and self.reload_wanted:
                self.reload_wanted = False
                self.reload_view()

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=failed,
                          on_finally=after)

    def _finished(self, _summary) -> None:  # type: ignore[no-untyped-def]
        self.reload_view()
        self.refresh_queue()
        self.procedure.reload()
        self.addresses.reload()
        self.case_changed.emit(self.case_id)
