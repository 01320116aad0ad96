"""审查结论 — the outcome buttons of a review round and what follows them.

A button is enabled only when ``complaint_review.outcome_options`` accepts that outcome for the
answers (so nothing can be finished while an item is open). 登记立案 shows the 民初 number;
一次性补正 generates the 补正通知书 at once and offers 预览 / 打印; 不予受理 and 告知另行处理 record
the failed items as reasons; 引导诉前调解 needs the party's consent, moves the case to 诉前调解 and
offers the 诉前调解告知书.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.services.common import documents
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.confirm import check_then_confirm
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.font_notice import notify_font_once
from baihe_desk.ui.common.forms import date_field, qdate_to_date, to_qdate
from baihe_desk.ui.common.layout import STRETCH, hbox, vbox
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import ask_yes_no, button, named, show_known_error, text_label
from baihe_desk.ui.filing.state import ReviewView

OUTCOME_BUTTONS = [  # (outcome, button text, object name)
    (ReviewOutcome.REGISTERED, "登记立案(&R)", "outcomeRegister"),
    (ReviewOutcome.CORRECTION, "一次性补正(&C)", "outcomeCorrection"),
    (ReviewOutcome.REJECTED, "不予受理(&J)", "outcomeReject"),
    (ReviewOutcome.REDIRECTED, "告知另行处理(&D)", "outcomeRedirect"),
    (ReviewOutcome.REFERRED_MEDIATION, "引导诉前调解(&M)", "outcomeMediation"),
]


@dataclass
class FinishSummary:
    outcome: ReviewOutcome
    case_number: str | None = None
    correction_deadline: date | None = None
    warnings: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    document: Path | None = None  # the generated PDF (补正通知书 / 诉前调解告知书)
    document_title: str = ""
    document_error: str = ""


def generate_pdf(db: Database, user: User, paths: Paths, kind: str, case_id: uuid.UUID,
                 options: dict | None = None) -> tuple[Path, str]:
    """Generate ``kind`` (PDF and Word) in its own transaction; returns the PDF path and a label."""
    with db.transaction() as s:
        records = documents.generate(s, user, kind, case_id, paths=paths, options=options or {})
        pdf = next(r for r in records if r.format == "pdf")
        _font_notes.append(pdf.font_note)  # shown once per session by the panel (notify_font_once)
        return documents.document_path(paths, pdf), f"{pdf.title} 第 {pdf.version} 版"


_font_notes: list[str] = []


class OutcomePanel(QGroupBox):
    """``finished(FinishSummary)`` after a round was closed; ``flags_changed()`` when a tick changes."""

    finished = Signal(object)
    reload_wanted = Signal()
    flags_changed = Signal()
    mediation_referred = Signal(object)  # case id handed to the mediation workflow

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__("审查结论", parent)
        self.setObjectName("outcomePanel")
        self.db, self.paths, self.user = db, paths, user
        self.view: ReviewView | None = None
        self.busy = False
        self.last: FinishSummary | None = None
        # seams for tests and automation
        self.confirm = lambda title, text: ask_yes_no(self, title, text)
        self.open_preview = self._open_preview

        self.insists = named(QCheckBox("当事人坚持起诉（已告知另行处理）"), "partyInsists", "当事人坚持起诉")
        self.consent = named(QCheckBox("当事人同意诉前调解"), "mediationConsent", "当事人同意诉前调解",
                             tip="引导诉前调解须经当事人同意（民事诉讼法第一百二十五条）")
        for box in (self.insists, self.consent):
            box.toggled.connect(self._flag_toggled)
        self.decided_on = date_field("decidedOn", "决定日期")
        self.days = named(QLineEdit(), "correctionDays", "补正期限（日）", tip="补正期限（日），1 至 90")
        self.days.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000") + 20)
        self.note = named(QLineEdit(), "outcomeNote", "审查结论说明",
                          tip="例如：已告知向白山仲裁委员会申请仲裁；当事人坚持起诉的情况")
        self.note.setPlaceholderText("说明（告知另行处理的去向、不予受理的情况等，可不填）")
        self.open_label = text_label(name="openItems")
        self.buttons: dict[ReviewOutcome, QPushButton] = {
            outcome: button(text, obj, outcome.label, lambda _c=False, o=outcome: self.finish(o))
            for outcome, text, obj in OUTCOME_BUTTONS}
        self.result = text_label(name="outcomeResult", selectable=True)
        self.preview_button = button("预览文书(&V)", "previewOutcomeDocument", "预览生成的文书",
                                     lambda: self.open_preview(False))
        self.print_button = button("打印文书", "printOutcomeDocument", "打印生成的文书", lambda: self.open_preview(True))
        self.regenerate_button = button("重新生成补正通知书", "regenerateCorrection", "重新生成补正通知书",
                                        lambda: self.make_document("correction-notice"))
        self.mediation_notice_button = button("生成诉前调解告知书", "makeMediationNotice", "生成诉前调解告知书",
                                              lambda: self.make_document("mediation-notice"))
        # handed out after 登记立案 (受理案件通知书, 交纳诉讼费用通知书 with the fee step by step)
        self.acceptance_button = button("生成受理案件通知书", "makeAcceptanceNotice", "生成受理案件通知书",
                                        lambda: self.make_document("acceptance-notice"))
        self.fee_notice_button = button("生成交纳诉讼费用通知书", "makeFeeNotice", "生成交纳诉讼费用通知书",
                                        lambda: self.make_document("fee-notice"))
        doc_row = hbox(self.preview_button, self.print_button, self.regenerate_button, self.mediation_notice_button,
                       self.acceptance_button, self.fee_notice_button, STRETCH)
        grid = QGridLayout()
        grid.addWidget(self.insists, 0, 0, 1, 2)
        grid.addWidget(self.consent, 0, 2, 1, 2)
        grid.addWidget(QLabel("决定日期："), 1, 0)
        grid.addWidget(self.decided_on, 1, 1)
        grid.addWidget(QLabel("补正期限（日）："), 1, 2)
        grid.addWidget(self.days, 1, 3)
        grid.addWidget(QLabel("说明："), 2, 0)
        grid.addWidget(self.note, 2, 1, 1, 3)
        vbox(grid, self.open_label, hbox(*self.buttons.values(), STRETCH), self.result, doc_row, parent=self)
        self.set_view(None)

    # -- state ---------------------------------------------------------------------------------
    def _flag_toggled(self, _on: bool) -> None:
        self.flags_changed.emit()

    def flags(self) -> dict[str, bool]:
        return {"party_insists": self.insists.isChecked(), "mediation_consent": self.consent.isChecked()}

    def set_view(self, view: ReviewView | None) -> None:
        new_case = view is None or self.view is None or view.case_id != self.view.case_id
        if not new_case and view is not None and self.view is not None and view.round_no != self.view.round_no:
            self.last = None  # a new round (补正后重新审查): the old result no longer applies
        self.view = view
        if new_case:
            for box in (self.insists, self.consent):
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            self.note.clear()
            self.last = None
        running = bool(view and view.review_open) and allowed(self.user, Perm.CASE_REVIEW)
        if view is not None:
            start = view.materials_received_on or view.received_on
            self.decided_on.setMinimumDate(to_qdate(min(start, desk_today())))
            self.decided_on.setMaximumDate(to_qdate(desk_today()))
            if new_case:
                self.decided_on.setDate(to_qdate(desk_today()))
                self.days.setText(str(view.correction_days))
        for w in (self.insists, self.consent, self.decided_on, self.days, self.note):
            w.setEnabled(running and not self.busy)
        options = set(view.options) if view else set()
        for outcome, b in self.buttons.items():
            b.setEnabled(running and not self.busy and outcome in options)
            b.setToolTip("" if outcome in options else self._why_not(outcome))
        self.open_label.setText(self._open_text(view))
        self._show_result()

    def _open_text(self, view: ReviewView | None) -> str:
        if view is None or not view.review_open:
            return ""
        if view.open_count:
            return f"<span style='color:#b3261e'>还有 {view.open_count} 项未作结论，不能结束审查。</span>"
        failed = [s for s in view.sheet if s.answer == "fail"]
        if not failed:
            return "全部审查事项符合（或不适用），可以登记立案。"
        return "不符合的事项：" + "；".join(f"{escape(s.defect)}（{s.consequence_label}）" for s in failed)

    def _why_not(self, outcome: ReviewOutcome) -> str:
        if self.view is None or not self.view.review_open:
            return "没有正在进行的立案审查。"
        if self.view.open_count:
            return "还有审查事项未作结论。"
        if outcome is ReviewOutcome.REFERRED_MEDIATION and not self.consent.isChecked():
            return "须经当事人同意：请先勾选“当事人同意诉前调解”。"
        return "与审查意见不一致，不能选择该结论。"

    # -- finishing -----------------------------------------------------------------------------
    def finish(self, outcome: ReviewOutcome) -> None:
        view = self.view
        if view is None or view.review_id is None or self.busy:
            return
        try:
            days = int(self.days.text().strip() or view.correction_days)
        except ValueError:
            show_known_error(self, KnownError("补正期限应为 1 至 90 之间的整数（日）。"))
            return
        decided = qdate_to_date(self.decided_on.date())
        text = {
            ReviewOutcome.REGISTERED: "登记立案并分配民初案号？",
            ReviewOutcome.CORRECTION: f"一次性书面通知补正（补正期限 {days} 日），并生成补正通知书？",
            ReviewOutcome.REJECTED: "作出不予受理的决定？",
            ReviewOutcome.REDIRECTED: "告知当事人另行处理？",
            ReviewOutcome.REFERRED_MEDIATION: "引导当事人诉前调解，案件转入诉前调解？",
        }[outcome]
        db, user, flags, note = self.db, self.user, self.flags(), self.note.text().strip()
        review_id, case_id, expected = view.review_id, view.case_id, view.review_version

        def trial(s):  # type: ignore[no-untyped-def]
            return cr.finish(s, user, s.get(ComplaintReview, review_id), outcome, note=note, decided_on=decided,
                             correction_days=days, expected_version=expected, **flags).case_number

        def question(number: str | None) -> str:
            then = f"（将分配案号 {number}）" if number else ""
            return f"{view.number}：{text}{then}\n\n决定后不能撤销。"

        check_then_confirm(self, db, trial, title=outcome.label, text=question, confirm=self.confirm,
                           on_refused=self._finish_failed, on_yes=lambda: self._finish(outcome, decided, days, flags, note, review_id, case_id, expected))

    def _finish(self, outcome, decided, days, flags, note, review_id, case_id,  # type: ignore[no-untyped-def]
                expected) -> None:
        db, user, paths = self.db, self.user, self.paths

        def work(_ctx):  # type: ignore[no-untyped-def]
            with db.transaction() as s:
                review = s.get(ComplaintReview, review_id)
                res = cr.finish(s, user, review, outcome, note=note, decided_on=decided, correction_days=days,
                                expected_version=expected, **flags)
                out = FinishSummary(outcome, res.case_number, res.correction_deadline, list(res.warnings),
                                    [d.defect for d in res.defects])
            if outcome is ReviewOutcome.CORRECTION:
                try:
                    out.document, out.document_title = generate_pdf(db, user, paths, "correction-notice", case_id,
                                                                    {"review_id": review_id})
                except KnownError as exc:
                    out.document_error = exc.message
            return out

        self._set_busy(True)
        run_in_background(work, parent=self, on_success=self._finished, on_failure=self._finish_failed,
                          on_finally=lambda: self._set_busy(False), progress=f"正在{outcome.label}…")

    def _finish_failed(self, exc: BaseException) -> None:
        show_known_error(self, exc)  # type: ignore[arg-type]
        self.reload_wanted.emit()  # another desk's change (or a refusal): show what is saved now

    def _set_busy(self, on: bool) -> None:
        self.busy = on
        self.set_view(self.view)

    def _finished(self, summary: FinishSummary) -> None:
        self.last = summary
        self._show_result()
        self.finished.emit(summary)
        if summary.outcome is ReviewOutcome.REFERRED_MEDIATION and self.view is not None:
            self.mediation_referred.emit(self.view.case_id)

    def _show_result(self) -> None:
        while _font_notes:
            notify_font_once(self, _font_notes.pop())
        s = self.last
        has_doc = bool(s and s.document)
        self.preview_button.setEnabled(has_doc)
        self.print_button.setEnabled(has_doc)
        self.regenerate_button.setVisible(bool(s and s.outcome is ReviewOutcome.CORRECTION))
        self.mediation_notice_button.setVisible(bool(s and s.outcome is ReviewOutcome.REFERRED_MEDIATION))
        for filed_button in (self.acceptance_button, self.fee_notice_button):
            filed_button.setVisible(bool(s and s.outcome is ReviewOutcome.REGISTERED))
        if s is None:
            self.result.setText("")
            return
        lines = {
            ReviewOutcome.REGISTERED: f"<b>已登记立案，案号：{escape(s.case_number or '')}</b>",
            ReviewOutcome.CORRECTION: f"<b>已通知补正，补正期限至 {s.correction_deadline}。</b>"
                                      f"补正事项 {len(s.reasons)} 项：{escape('；'.join(s.reasons))}",
            ReviewOutcome.REJECTED: "<b>已决定不予受理。</b>理由：" + escape("；".join(s.reasons)),
            ReviewOutcome.REDIRECTED: "<b>已告知另行处理。</b>事由：" + escape("；".join(s.reasons)),
            ReviewOutcome.REFERRED_MEDIATION: "<b>已引导诉前调解，案件转入诉前调解。</b>",
        }[s.outcome]
        parts = [lines]
        if s.document:
            parts.append(f"已生成：{escape(s.document_title)}（PDF 和 Word）")
        if s.document_error:
            parts.append(f"<span style='color:#b3261e'>文书未能生成：{escape(s.document_error)}</span>")
        parts += [f"<span style='color:#8a5a00'>{escape(w)}</span>" for w in s.warnings]
        self.result.setText("<br>".join(parts))

    # -- documents -----------------------------------------------------------------------------
    def make_document(self, kind: str) -> None:
        view = self.view
        if view is None:
            return
        db, user, paths, case_id = self.db, self.user, self.paths, view.case_id
        options = {"review_id": view.review_id} if kind == "correction-notice" else {}

        def done(result) -> None:  # type: ignore[no-untyped-def]
            if self.last is not None:
                self.last.document, self.last.document_title = result
                self.last.document_error = ""
                self._show_result()

        run_in_background(lambda _ctx: generate_pdf(db, user, paths, kind, case_id, options), parent=self,
                          on_success=done, progress="正在生成文书…")

    def _open_preview(self, print_it: bool) -> None:
        from baihe_desk.ui.cases.documents_panel import a4_printer, open_pdf_preview, print_pdf

        s = self.last
        if s is None or s.document is None:
            return
        if not print_it:
            open_pdf_preview(self, s.document, s.document_title)
            return
        from PySide6.QtPrintSupport import QPrintDialog

        printer = a4_printer()
        if QPrintDialog(printer, self).exec():
            try:
                print_pdf(s.document, printer)
            except KnownError as exc:
                show_known_error(self, exc)
