"""诉前调解页面的共用部件 — date fields, the background-write helper and the 调解结果 form.

The outcome form is shared: the station's mediator sees every outcome; the filing window only the
outcomes that end a mediation without agreement (the case is then filed at once).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.models.mediation import AGREEMENTS, MediationOutcome
from baihe_desk.services.mediation.outcome import FREE_BASIS, OutcomeInput
from baihe_desk.services.mediation.referral import today
from baihe_desk.services.mediation.views import WorkbenchDetail
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.forms import date_field, enter_advances_under, text_box, to_qdate
from baihe_desk.ui.common.law_panel import connect_links, linked_html
from baihe_desk.ui.common.layout import form
from baihe_desk.ui.common.qt import QCheckBox, QDateEdit, QLabel, QLineEdit, QWidget, Signal
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named, show_known_error, text_label


def date_edit(object_name: str, accessible: str, value: date | None = None) -> QDateEdit:
    return date_field(object_name, accessible, value or today())


def set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(to_qdate(value or today()))


def to_date(edit: QDateEdit) -> date:
    return edit.date().toPython()


def run_write(owner: QWidget, db: Database, fn: Callable[[Any], Any], *, status: QLabel, busy: str,
              done: Callable[[Any], str], after: Callable[[Any], None] | None = None) -> None:
    """Run ``fn(session)`` in a write transaction in the background; report in ``status``."""
    status.setText(busy)

    def ok(result: Any) -> None:
        status.setText(done(result))
        if after is not None:
            after(result)

    def failed(exc: BaseException) -> None:
        status.setText("")
        if isinstance(exc, KnownError):
            show_known_error(owner, exc)

    run_in_background(lambda session, _ctx: fn(session), parent=owner, db=db, write=True, on_success=ok,
                      on_failure=failed, progress=busy)


def _yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


class OutcomeForm(QWidget):
    """调解结果: outcome, date, agreement or undisputed facts, and what follows (number, fee, filing)."""

    submitted = Signal(object)  # OutcomeInput

    def __init__(self, outcomes: list[MediationOutcome], prefix: str = "outcome", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{prefix}Form")
        self.detail: WorkbenchDetail | None = None
        self.kind = combo(f"{prefix}Kind", "调解结果", [(o.label, o.value) for o in outcomes])
        self.on = date_edit(f"{prefix}Date", "结果日期（协议达成或调解终结之日）")
        self.agreement = text_box(f"{prefix}Agreement", "调解协议主要内容", lines=3,
                                  placeholder="如：被告于2026年12月31日前分三期偿还原告借款本金50000元")
        self.facts = text_box(f"{prefix}Facts", "无争议事实", lines=3, placeholder="调解不成时当事人无争议的事实；没有的，填写“无”")
        self.note = named(QLineEdit(), f"{prefix}Note", "调解不成的原因或其他说明")
        self.joint = named(QCheckBox("双方当事人共同申请司法确认"), f"{prefix}Joint", "双方当事人共同申请司法确认")
        self.explain = text_label(name=f"{prefix}Explain", rich=True)
        connect_links(self.explain)  # the fee steps' 依据 open the law panel
        self.submit = button("登记结果", f"{prefix}Submit", "登记调解结果", self._submit)
        self.agreement_label = buddy_label("协议内容", self.agreement)
        self.facts_label = buddy_label("无争议事实", self.facts)
        form(("结果(&R)", self.kind), ("日期", self.on), (self.agreement_label, self.agreement), self.joint,
             (self.facts_label, self.facts), ("说明", self.note), self.explain, self.submit, parent=self)
        self.kind.currentIndexChanged.connect(lambda _i: self._update())
        self._update()
        enter_advances_under(self)

    def outcome(self) -> MediationOutcome:
        return MediationOutcome(self.kind.currentData())

    def select(self, outcome: MediationOutcome) -> None:
        self.kind.setCurrentIndex(self.kind.findData(outcome.value))

    def set_detail(self, detail: WorkbenchDetail | None) -> None:
        self.detail = detail
        self._update()

    def _update(self) -> None:
        o = self.outcome()
        agreement = o in AGREEMENTS
        for w in (self.agreement, self.agreement_label):
            w.setVisible(agreement)
        for w in (self.facts, self.facts_label):
            w.setVisible(not agreement)
        self.joint.setVisible(o is MediationOutcome.CONFIRMATION)
        self.explain.setText(self._explanation(o))

    def _explanation(self, o: MediationOutcome) -> str:
        d = self.detail
        if o is MediationOutcome.CONFIRMATION:
            if d is not None and d.no_confirmation:
                return "<b style='color:#c62828'>不能申请司法确认：</b>" + escape("；".join(d.no_confirmation))
            return ("申请司法确认：取得“诉前调确”案号，<b>不交纳案件受理费</b>（" + linked_html(FREE_BASIS) + "）。"
                    "双方当事人应自调解协议生效之日起三十日内共同申请（民事诉讼法第二百零五条）。")
        if o is MediationOutcome.MEDIATION_DOCUMENT:
            if d is None:
                return "出具调解书：取得“诉前调书”案号，案件受理费减半交纳。"
            if d.document_fee is None:
                return "<b style='color:#c62828'>无法计算诉讼费：</b>" + escape(d.document_fee_problem)
            fee = d.document_fee
            steps = "<br>".join(f"{i}. {escape(s.text)}<span style='color:#5f6368'>（{linked_html(s.basis)}）</span>"
                                for i, s in enumerate(fee.steps, 1))
            warn = "".join(f"<br><span style='color:#8a6d00'>注意：{escape(w)}</span>" for w in fee.warnings)
            return (f"出具调解书：取得“诉前调书”案号，案件受理费减半交纳。<br>{steps}{warn}"
                    f"<br><b>应交纳：{_yuan(fee.total)} 元</b>")
        if o is MediationOutcome.SELF_PERFORMANCE:
            return "当事人自行履行调解协议：不出具法律文书，不收取费用。"
        return ("调解终结后本院<b>立即登记立案</b>（民初案号）；当事人、已核实的地址和送达地址确认书随案转入，无需重新录入"
                "（特邀调解规定第二十一条；在线调解规则第二十一条、第二十二条）。")

    def value(self) -> OutcomeInput:
        o = self.outcome()
        return OutcomeInput(o, to_date(self.on), agreement_text=self.agreement.toPlainText(),
                            undisputed_facts=self.facts.toPlainText(), note=self.note.text(),
                            joint_application=self.joint.isChecked())

    def clear(self) -> None:
        self.agreement.clear()
        self.facts.clear()
        self.note.clear()
        self.joint.setChecked(False)

    def _submit(self) -> None:
        self.submitted.emit(self.value())
