"""审理程序建议 and 诉讼费计算 — two panels of the filing window.

- ``ProcedurePanel``: the suggestion of ``procedure.suggest_for_case`` (小额诉讼 / 简易程序 / 普通程序)
  with its reason and legal basis; the clerk ticks what the data cannot know (涉外, 需要鉴定, 下落不明 …),
  may choose another allowed procedure with a note, and saves it (``procedure.set_procedure``).
- ``FeePanel``: ``fees.calculate_fee`` step by step (kind, amount, 简易程序, 调解/撤诉 halving), with the
  court's ranged amounts from the setting ``fees.overrides``. Pure calculation, no database.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from html import escape
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.models import Case, Procedure, User
from baihe_desk.services.filing import procedure as proc
from baihe_desk.services.filing.complaint_review import setting
from baihe_desk.services.filing.fees import calculate_fee, fee_kinds
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.law_panel import connect_links, install_f1, linked_html, text_at_cursor
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.list_detail import LatestLoads
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import button, combo, named, text_label

FEE_OVERRIDES_SETTING = "fees.overrides"
FLAGS = [  # ProcedureFacts field, label (the clerk's ticks)
    ("simple_facts", "事实清楚、权利义务关系明确、争议不大"),
    ("foreign_related", "涉外案件"),
    ("needs_appraisal", "需要评估、鉴定（或对诉前鉴定有异议）"),
    ("party_whereabouts_unknown", "一方当事人下落不明"),
    ("defendant_whereabouts_unknown", "起诉时被告下落不明"),
    ("counterclaim", "有反诉"),
    ("numerous_parties", "一方当事人人数众多"),
    ("public_interest", "涉及国家利益、社会公共利益"),
    ("parties_agree_small_claims", "双方约定适用小额诉讼"),
    ("parties_agree_simple", "双方约定适用简易程序"),
]


def _load(session, case_id: uuid.UUID, flags: dict[str, bool]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    case = session.get(Case, case_id)
    if case is None:
        raise KnownError("案件不存在或已被删除。")
    return {"suggestion": proc.suggest_for_case(session, case, **flags), "current": case.procedure,
            "amount": case.claim_amount, "cause": case.cause_name,
            "overrides": setting(session, FEE_OVERRIDES_SETTING, {}) or {}}


class ProcedurePanel(LatestLoads, QGroupBox):
    """``loaded(dict)`` with the case's amount, cause, procedure and fee overrides (for the fee panel)."""

    loaded = Signal(object)
    saved = Signal(object)  # Procedure

    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__("审理程序", parent)
        self.setObjectName("procedurePanel")
        self.db, self.user = db, user
        self.case_id: uuid.UUID | None = None
        self.suggestion: proc.ProcedureSuggestion | None = None
        self.summary = text_label(name="procedureSuggestion", selectable=True)
        connect_links(self.summary)
        self.flags: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for i, (key, label) in enumerate(FLAGS):
            box = named(QCheckBox(label), f"flag_{key}", label)
            box.setChecked(key == "simple_facts")
            box.toggled.connect(lambda _on: self.reload())
            self.flags[key] = box
            grid.addWidget(box, i // 2, i % 2)
        self.choice = named(QComboBox(), "procedureChoice", "审理程序")
        self.note = named(QLineEdit(), "procedureNote", "改变建议的理由")
        self.note.setPlaceholderText("选择与建议不同的程序时，须写明理由")
        self.save_button = button("确定审理程序(&P)", "saveProcedure", "确定审理程序", self.save)
        self.message = text_label(name="procedureMessage")
        vbox(self.summary, grid, hbox(QLabel("程序："), self.choice, (self.note, 1), self.save_button), self.message,
             parent=self)
        self._update_enabled()

    def facts(self) -> dict[str, bool]:
        return {k: b.isChecked() for k, b in self.flags.items()}

    def set_case(self, case_id: uuid.UUID | None) -> None:
        if case_id != self.case_id:
            for k, b in self.flags.items():
                b.blockSignals(True)
                b.setChecked(k == "simple_facts")
                b.blockSignals(False)
            self.note.clear()
            self.message.clear()
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        case_id, flags = self.case_id, self.facts()
        if case_id is None:
            self.forget_loads()
            self.suggestion = None
            self.summary.setText("")
            self._update_enabled()
            return
        self.load_latest(lambda s, _c: _load(s, case_id, flags), self._loaded)

    def _loaded(self, data: dict[str, Any]) -> None:
        s: proc.ProcedureSuggestion = data["suggestion"]
        self.suggestion = s
        current = data["current"].label if data["current"] else "尚未确定"
        parts = [f"<b>系统建议：{s.procedure.label}</b>　（当前：{current}）", escape(s.reason),
                 f"<span style='color:#5f6368'>依据：{linked_html('；'.join(s.basis))}</span>"]
        if s.threshold is not None:
            parts.append(f"<span style='color:#5f6368'>小额诉讼标准：{s.threshold.wage_year}年度就业人员年平均工资 "
                         f"{s.threshold.annual_wage:,.2f} 元的百分之五十，即 {s.threshold.small_limit:,.2f} 元</span>")
        parts += [f"<span style='color:#8a5a00'>{escape(w)}</span>" for w in s.warnings]
        self.summary.setText("<br>".join(parts))
        chosen = self.choice.currentData()
        self.choice.blockSignals(True)
        self.choice.clear()
        for p in [Procedure.SMALL_CLAIMS, Procedure.SIMPLE, Procedure.ORDINARY]:
            if p in s.allowed:
                self.choice.addItem(p.label + ("（建议）" if p is s.procedure else ""), p.value)
        idx = self.choice.findData(chosen if chosen in [p.value for p in s.allowed] else s.procedure.value)
        self.choice.setCurrentIndex(max(idx, 0))
        self.choice.blockSignals(False)
        self._update_enabled()
        self.loaded.emit(data)

    def _update_enabled(self) -> None:
        on = self.case_id is not None and self.suggestion is not None
        self.save_button.setEnabled(on)
        self.choice.setEnabled(on)

    def save(self) -> None:
        if self.case_id is None or self.suggestion is None:
            return
        case_id, user, value, note = self.case_id, self.user, self.choice.currentData(), self.note.text().strip()
        facts = self.facts()

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            case = session.get(Case, case_id)
            proc.set_procedure(session, user, case, value, note, facts=proc.facts_from_case(case, **facts))
            return Procedure(value)

        def done(p: Procedure) -> None:
            self.message.setText(f"已确定适用{p.label}。")
            self.saved.emit(p)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.message.setText(f"<span style='color:#b3261e'>{escape(getattr(exc, 'message', str(exc)))}</span>")

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=failed)


class FeePanel(QGroupBox):
    """诉讼费计算器: the calculation step by step."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("诉讼费计算", parent)
        self.setObjectName("feePanel")
        self.overrides: dict[str, Any] = {}
        self.kind = combo("feeKind", "收费类型", [(label, key) for key, label in fee_kinds().items()])
        self.amount = digits_field(named(QLineEdit(), "feeAmount", "金额（元）"), "amount")
        self.amount.setPlaceholderText("金额（元）")
        self.simple = named(QCheckBox("适用简易程序"), "feeSimple", "适用简易程序")
        self.mediated = named(QCheckBox("调解结案"), "feeMediated", "调解结案")
        self.withdrawn = named(QCheckBox("申请撤诉"), "feeWithdrawn", "申请撤诉")
        self.total = text_label(name="feeTotal", wrap=False)
        self.steps = named(QTextBrowser(), "feeSteps", "计算过程")
        self.steps.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        vbox(hbox(self.kind, QLabel("金额："), (self.amount, 1), self.simple, self.mediated, self.withdrawn), self.total,
             (self.steps, 1), parent=self)
        connect_links(self.steps)  # each step's 依据 opens the law panel; F1 opens the step at the cursor
        install_f1(self, lambda: text_at_cursor(self.steps), "诉讼费用交纳办法")
        self.kind.currentIndexChanged.connect(lambda _i: self.recalculate())
        self.amount.textChanged.connect(lambda _t: self.recalculate())
        for box in (self.simple, self.mediated, self.withdrawn):
            box.toggled.connect(lambda _on: self.recalculate())
        self.recalculate()

    def set_case_info(self, data: dict[str, Any]) -> None:
        """From the procedure panel's load: amount, cause, procedure and the court's fee settings."""
        self.overrides = dict(data.get("overrides") or {})
        cause = data.get("cause") or ""
        kind = "divorce" if "离婚" in cause else "labor" if "劳动争议" in cause or cause.startswith("劳动") else "property"
        for w in (self.kind, self.amount, self.simple):
            w.blockSignals(True)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        amount: Decimal | None = data.get("amount")
        self.amount.setText("" if amount is None else f"{amount:.2f}")
        current = data.get("current")
        self.simple.setChecked(current in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS))
        for w in (self.kind, self.amount, self.simple):
            w.blockSignals(False)
        self.recalculate()

    def recalculate(self) -> None:
        try:
            r = calculate_fee(self.kind.currentData(), self.amount.text().strip() or None,
                              simple_procedure=self.simple.isChecked(), mediated=self.mediated.isChecked(),
                              withdrawn=self.withdrawn.isChecked(), overrides=self.overrides)
        except KnownError as exc:
            self.total.setText(f"<span style='color:#b3261e'>{escape(exc.message)}</span>")
            self.steps.setHtml("")
            return
        self.total.setText(f"<b>应交纳：{r.total:,.2f} 元</b>" + ("（已减半）" if r.halved else ""))
        items = "".join(f"<li>{escape(st.text)}<br><span style='color:#5f6368'>{linked_html(st.basis, '诉讼费用交纳办法')}</span></li>"
                        for st in r.steps)
        extra = "".join(f"<p style='color:#8a5a00'>注意：{linked_html(w, '诉讼费用交纳办法')}</p>" for w in r.warnings)
        extra += "".join(f"<p style='color:#5f6368'>说明：{linked_html(n, '诉讼费用交纳办法')}</p>" for n in r.notes)
        self.steps.setHtml(f"<ol>{items}</ol>{extra}")
