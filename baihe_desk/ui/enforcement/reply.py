"""执行建议编辑 — the enforcement officer's reply: an assessment per term (意见、理由、建议表述), suggested
measures (诉讼保全 shows its fee from the fee calculator as the amount is typed), property clues, risk
notes and an answer to each question. Saved as a draft as it is typed (autosave), then submitted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from baihe_desk.errors import KnownError, ValidationErrors
from baihe_desk.models import User
from baihe_desk.models.enforcement import MEASURE_LABELS, Measure, Verdict
from baihe_desk.services.enforcement import advice as advice_svc
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.advice import AdviceData, ItemData
from baihe_desk.services.enforcement.enforceability import parse_money
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.confirm import check_then_confirm
from baihe_desk.ui.common.conflict import is_edit_conflict
from baihe_desk.ui.common.forms import text_box
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, group, hbox, vbox
from baihe_desk.ui.common.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import (
    buddy_label,
    button,
    combo,
    named,
    show_known_error,
    single_shot,
    text_label,
)

AUTOSAVE_MS = 1500
VERDICTS = [("请选择意见", None), (Verdict.ENFORCEABLE.label, Verdict.ENFORCEABLE),
            (Verdict.NEEDS_CHANGE.label, Verdict.NEEDS_CHANGE), (Verdict.NOT_ENFORCEABLE.label, Verdict.NOT_ENFORCEABLE)]


@dataclass
class ReplyContext:
    id: uuid.UUID
    terms: list[tuple[int, str]]
    questions: list[str]
    data: AdviceData = field(default_factory=AdviceData)
    version: int = 0  # the reply's row_version as shown (0: no reply saved yet), sent with every save


def load_context(session, consultation_id: uuid.UUID) -> ReplyContext:  # type: ignore[no-untyped-def]
    c = svc.load(session, consultation_id)
    data = advice_svc.advice_data(c.advice) if c.advice is not None else advice_svc.prefill(c)
    return ReplyContext(c.id, [(t.seq, t.text) for t in c.terms], list(c.questions or []), data,
                        c.advice.row_version if c.advice is not None else 0)


def _saved_version(session, consultation_id: uuid.UUID) -> int:  # type: ignore[no-untyped-def]
    session.flush()
    advice = svc.load(session, consultation_id).advice
    return advice.row_version if advice is not None else 0


def _text_edit(name: str, label: str, lines: int, text: str = "") -> QPlainTextEdit:
    return text_box(name, label, lines=lines, pad=12, text=text)


class MeasureRow(QGroupBox):
    removed = Signal(object)
    changed = Signal()

    def __init__(self, n: int, item: ItemData, parent: QWidget | None = None):
        assert item.measure is not None
        super().__init__(f"建议措施：{item.measure.label}", parent)
        self.measure = item.measure
        self.text = _text_edit(f"enfMeasureText{n}", f"建议措施{n + 1}内容", 3, item.suggestion)
        self.amount = digits_field(named(QLineEdit("" if item.amount is None else f"{item.amount.normalize():f}"),
                                         f"enfMeasureAmount{n}", "拟保全财产数额（元）"), "amount")
        self.amount.setPlaceholderText("拟保全财产数额（元）")
        self.fee = text_label(name=f"enfMeasureFee{n}")
        self.remove = button("删除此项", f"enfRemoveMeasure{n}", f"删除建议措施{n + 1}", lambda: self.removed.emit(self))
        self.text.textChanged.connect(self.changed.emit)
        self.amount.textChanged.connect(self._amount_changed)
        amount = [buddy_label("拟保全财产数额（元）：", self.amount), self.amount]
        if item.measure is not Measure.PRESERVATION:
            self.amount.setVisible(False)
            amount = []
        vbox(self.text, hbox(*amount, (self.fee, 1), self.remove), parent=self)
        self._amount_changed()

    def _amount_changed(self, *_a: object) -> None:
        if self.measure is Measure.PRESERVATION:
            text = self.amount.text().strip()
            amount = parse_money(text)
            if text and (amount is None or amount <= 0):
                self.fee.setText("金额格式有误")
            else:
                fee, detail = advice_svc.preservation_fee(amount)
                self.fee.setText(f"保全申请费：{fee:,.2f} 元" if fee is not None else detail)
                self.fee.setToolTip(detail)
        self.changed.emit()

    def item(self) -> ItemData:
        amount = parse_money(self.amount.text()) if self.measure is Measure.PRESERVATION else None
        return ItemData(measure=self.measure, suggestion=self.text.toPlainText(), amount=amount)


class ReplyEditor(QWidget):
    """执行建议（草稿）. ``submitted(id)`` after the reply was submitted."""

    submitted = Signal(object)

    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.user = db, user
        self.setObjectName("enfReplyEditor")
        self.ctx: ReplyContext | None = None
        self.term_rows: list[tuple[int, QComboBox, QPlainTextEdit, QPlainTextEdit]] = []
        self.measures: list[MeasureRow] = []
        self.answers: list[QPlainTextEdit] = []
        self._loading = False
        self.saving = False

        self.terms_box = QVBoxLayout()
        self.measures_box = QVBoxLayout()
        self.measure_kind = combo("enfMeasureKind", "建议措施类别", [(t, m.value) for m, t in MEASURE_LABELS.items()])
        self.add_measure_button = button("添加建议措施", "enfAddMeasure", "添加建议措施", self.add_measure)
        self.clues = _text_edit("enfClues", "财产线索", 3)
        self.risks = _text_edit("enfRisks", "风险提示", 2)
        self.answers_form = QFormLayout()
        self.phone = digits_field(named(QLineEdit(), "enfReplyPhone", "执行局联系电话"), "phone")
        self.state = text_label(name="enfReplyState", wrap=False)
        self.submit_button = button("提交执行建议", "enfSubmitReply", "提交执行建议", self.submit)
        self.save_button = button("保存草稿", "enfReplySave", "保存执行建议草稿", self.save_now)

        terms_group = QGroupBox("对拟定条款的意见")
        terms_group.setLayout(self.terms_box)
        measures = group("建议采取的措施", self.measures_box, hbox(self.measure_kind, self.add_measure_button, STRETCH))
        other = group("财产线索、风险提示和问题答复", rows=[
            ("财产线索：", self.clues), ("风险提示：", self.risks), ("联系电话：", self.phone), self.answers_form])
        self.actions = QWidget()  # the queue page pins this row below its scroll area (always in reach)
        self.actions.setObjectName("enfReplyActions")
        hbox((self.state, 1), self.save_button, self.submit_button, margins=0, parent=self.actions)
        vbox(terms_group, measures, other, self.actions, margins=0, parent=self)
        self.timer = single_shot(self, AUTOSAVE_MS, self.save_now)
        for w in (self.clues, self.risks):
            w.textChanged.connect(self.edited)
        self.phone.textChanged.connect(self.edited)

    # -- loading -----------------------------------------------------------------------------------
    def load(self, ctx: ReplyContext) -> None:
        self._loading = True
        try:
            self.ctx = ctx
            self._clear(self.terms_box)
            self._clear(self.measures_box)
            self._clear(self.answers_form)
            self.term_rows, self.measures, self.answers = [], [], []
            by_seq = {i.term_seq: i for i in ctx.data.items if i.term_seq is not None}
            for seq, text in ctx.terms:
                item = by_seq.get(seq, ItemData(term_seq=seq))
                self._add_term_row(seq, text, item)
            for item in ctx.data.items:
                if item.measure is not None:
                    self._add_measure_row(item)
            for n, q in enumerate(ctx.questions):
                edit = _text_edit(f"enfAnswer{n}", f"问题{n + 1}的答复",
                                  2, ctx.data.answers[n] if n < len(ctx.data.answers) else "")
                edit.textChanged.connect(self.edited)
                label = QLabel(f"问题{n + 1}：{q}")
                label.setWordWrap(True)
                label.setBuddy(edit)
                self.answers_form.addRow(label)
                self.answers_form.addRow("答：", edit)
                self.answers.append(edit)
            self.clues.setPlainText(ctx.data.property_clues)
            self.risks.setPlainText(ctx.data.risk_notes)
            self.phone.setText(ctx.data.contact_phone or self.user.phone)
            self.state.setText("")
        finally:
            self._loading = False

    @staticmethod
    def _clear(layout) -> None:  # type: ignore[no-untyped-def]
        while layout.count():
            child = layout.takeAt(0)
            widget = child.widget()
            if widget is not None:  # detached at once, so the previous consultation's rows are gone
                widget.setParent(None)
                widget.deleteLater()
            elif child.layout() is not None:
                ReplyEditor._clear(child.layout())

    def _add_term_row(self, seq: int, text: str, item: ItemData) -> None:
        n = len(self.term_rows)
        verdict = combo(f"enfVerdict{n}", f"第{seq}项意见", [(t, v.value if v else None) for t, v in VERDICTS])
        verdict.setCurrentIndex(max(verdict.findData(item.verdict.value if item.verdict else None), 0))
        reason = _text_edit(f"enfReason{n}", f"第{seq}项理由", 3, item.reason)
        suggestion = _text_edit(f"enfSuggestion{n}", f"第{seq}项建议表述", 2, item.suggestion)
        quoted = text_label(f"拟定表述：{text or '（未填写）'}", style="color: #5f6368;")
        box = group(f"第{seq}项", rows=[quoted, ("意见：", verdict), ("理由：", reason), ("建议表述：", suggestion)])
        verdict.currentIndexChanged.connect(self.edited)
        reason.textChanged.connect(self.edited)
        suggestion.textChanged.connect(self.edited)
        self.terms_box.addWidget(box)
        self.term_rows.append((seq, verdict, reason, suggestion))

    def _add_measure_row(self, item: ItemData) -> MeasureRow:
        row = MeasureRow(len(self.measures), item, self)
        row.changed.connect(self.edited)
        row.removed.connect(self.remove_measure)
        self.measures_box.addWidget(row)
        self.measures.append(row)
        return row

    def add_measure(self) -> None:
        m = Measure(self.measure_kind.currentData())
        row = self._add_measure_row(ItemData(measure=m, suggestion=advice_svc.DEFAULT_WORDING[m]))
        (row.amount if m is Measure.PRESERVATION else row.text).setFocus()
        self.edited()

    def remove_measure(self, row: MeasureRow) -> None:
        self.measures.remove(row)
        row.deleteLater()
        self.edited()

    # -- values, saving ------------------------------------------------------------------------------
    def data(self) -> AdviceData:
        items = []
        for seq, verdict, reason, suggestion in self.term_rows:
            value = verdict.currentData()
            items.append(ItemData(term_seq=seq, verdict=Verdict(value) if value else None,
                                  reason=reason.toPlainText(), suggestion=suggestion.toPlainText()))
        items += [m.item() for m in self.measures]
        return AdviceData(items=items, property_clues=self.clues.toPlainText(), risk_notes=self.risks.toPlainText(),
                          answers=[a.toPlainText() for a in self.answers], contact_phone=self.phone.text())

    def edited(self, *_a: object) -> None:
        if self._loading or self.ctx is None:
            return
        self.state.setText("有未保存的修改…")
        self.timer.start()

    def save_now(self) -> None:
        if self.ctx is None or self.saving:
            return
        self.timer.stop()
        cid, user, data, expected = self.ctx.id, self.user, self.data(), self.ctx.version
        self.saving = True

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            advice_svc.save_reply(session, user, cid, data, expected_version=expected)
            return _saved_version(session, cid)

        def done(version: int) -> None:
            if self.ctx is not None and self.ctx.id == cid:
                self.ctx.version = version
                self.state.setText(f"草稿已保存 {datetime.now():%H:%M:%S}")

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done,
                          on_failure=lambda exc: self._failed(exc, cid), on_finally=lambda: setattr(self, "saving", False))

    def reload(self) -> None:
        """The reply as saved now (after an edit conflict: the other officer's version)."""
        if self.ctx is None:
            return
        cid = self.ctx.id

        def loaded(ctx: ReplyContext) -> None:
            if self.ctx is not None and self.ctx.id == cid:
                self.load(ctx)
                self.state.setText("未保存：该执行建议已在其他工作台修改，已重新载入")

        run_in_background(lambda s, _c: load_context(s, cid), parent=self, db=self.db, on_success=loaded)

    def _failed(self, exc: BaseException, cid: uuid.UUID | None = None) -> None:
        if is_edit_conflict(exc):  # another officer saved since: both texts in the dialog, then theirs
            show_known_error(self, exc)  # type: ignore[arg-type]
            if self.ctx is not None and (cid is None or cid == self.ctx.id):
                self.timer.stop()
                self.reload()
            return
        if isinstance(exc, ValidationErrors):
            self.state.setText("请补充：" + "；".join(e.message for e in exc.errors))
        elif isinstance(exc, KnownError):
            self.state.setText(exc.message)
            show_known_error(self, exc)

    def submit(self) -> None:
        if self.ctx is None:
            return
        self.timer.stop()
        cid, user, data, expected = self.ctx.id, self.user, self.data(), self.ctx.version
        items = len(data.items) if hasattr(data, "items") else 0

        def question(number: str) -> str:
            return (f"提交执行建议 {number}（{items} 条意见）。提交后咨询法官即可查看，建议内容不能再修改。确认提交吗？")

        check_then_confirm(self, self.db, lambda s: advice_svc.submit_reply(
                               s, user, cid, data, expected_version=expected).number,
                           title="提交执行建议", text=question, on_yes=lambda: self._submit(cid, data, expected),
                           on_refused=lambda exc: self._failed(exc, cid))

    def _submit(self, cid, data, expected) -> None:  # type: ignore[no-untyped-def]
        user = self.user
        self.submit_button.setEnabled(False)
        run_in_background(lambda s, _c: advice_svc.submit_reply(s, user, cid, data, expected_version=expected).number,
                          parent=self, db=self.db, write=True, on_success=lambda _n: self.submitted.emit(cid),
                          on_failure=lambda exc: self._failed(exc, cid),
                          on_finally=lambda: self.submit_button.setEnabled(True), progress="正在提交…")
