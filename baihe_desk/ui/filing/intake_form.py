"""收件登记 — the case intake form: case data, parties (with agents), save through ``intake.create_case``.

Saving runs in the background helper in one write transaction. Field errors from the service
(``ValidationErrors``, each with a ``key``) are shown next to their fields and nothing typed is lost.
After a successful save the 收件号 is shown and the form is cleared. What the clerk types is kept
as a draft (``drafts/intake-draft.json``) when the program crashes or is closed with the form filled;
the next time the form opens it offers to restore it.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.models import PartyRole, Procedure, User
from baihe_desk.services.common.numbering import court_code_of
from baihe_desk.services.filing import intake
from baihe_desk.storage.db import Database
from baihe_desk.ui.common import crash
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.cause_field import CauseField
from baihe_desk.ui.common.date_input import desk_today, today_qdate
from baihe_desk.ui.common.forms import FieldBox, date_field, enter_advances, qdate_to_date, text_box, to_qdate
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, form, hbox, pane, scroll_area, shortcut, vbox
from baihe_desk.ui.common.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QKeySequence,
    QLineEdit,
    QTimer,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import buddy_label, button, named, show_known_error, text_label
from baihe_desk.ui.filing.intake_parts import DraftBanner, PartiesSection, ResultBanner

DRAFT_FILE = "intake-draft.json"
DRAFT_NAME = "intake"
AUTOSAVE_MS = 3000  # a power cut or a killed process loses at most this much typing
PROCEDURES: list[tuple[str, Procedure | None]] = [
    ("待定", None), (Procedure.SMALL_CLAIMS.label, Procedure.SMALL_CLAIMS),
    (Procedure.SIMPLE.label, Procedure.SIMPLE), (Procedure.ORDINARY.label, Procedure.ORDINARY),
]


class IntakeForm(QWidget):
    """收件登记 page. ``saved(case_id, receipt_number)`` after a case was written."""

    saved = Signal(object, str)

    def __init__(self, db: Database, user: User, paths: Paths, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.user = user
        self.paths = paths
        self.saving = False
        self.setObjectName("intakeForm")

        # -- case data -----------------------------------------------------------------------------
        self.cause = named(CauseField(), "intakeCause", "案由")
        self.cause_path = text_label(name="causePath", wrap=False, style="color: #5f6368;")
        self.cause.cause_chosen.connect(lambda c: self.cause_path.setText(c.path if c else ""))
        self.cause.textEdited.connect(lambda _t: self.cause_path.clear())
        self.procedure = named(QComboBox(), "intakeProcedure", "程序")
        for label, value in PROCEDURES:
            self.procedure.addItem(label, value.value if value else "")
        self.amount = digits_field(named(QLineEdit(), "intakeAmount", "标的额（元）"), "amount")
        self.amount.setPlaceholderText("如 12500.50；无金额可不填")
        self.amount.setMinimumWidth(self.amount.fontMetrics().horizontalAdvance("如 12500.50；无金额可不填") + 20)
        self.received_on = date_field("intakeReceivedOn", "收件日期", maximum=desk_today())
        self.claims = text_box("intakeClaims", "诉讼请求", lines=4)
        self.facts = text_box("intakeFacts", "事实和理由", lines=6)
        self.case_boxes: dict[str, FieldBox] = {
            "cause": FieldBox(self.cause), "procedure": FieldBox(self.procedure),
            "claim_amount": FieldBox(self.amount), "received_on": FieldBox(self.received_on),
            "claims": FieldBox(self.claims), "facts": FieldBox(self.facts),
        }
        b = self.case_boxes
        case_group = QGroupBox("案件信息")
        case_group.setObjectName("intakeCaseGroup")
        form(("案由(&Y)：", pane(b["cause"], self.cause_path, spacing=2), self.cause),
             ("程序：", hbox(b["procedure"], 16, buddy_label("标的额（元）：", self.amount), (b["claim_amount"], 2), 16,
                            buddy_label("收件日期：", self.received_on), b["received_on"], (STRETCH, 3)), self.procedure),
             ("诉讼请求：", b["claims"]), ("事实和理由：", b["facts"]),
             parent=case_group).setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # -- parties, banners, buttons ----------------------------------------------------------------
        self.parties = PartiesSection(self)
        self.parties.changed.connect(self.update_tab_order)
        self.result = ResultBanner(self)
        self.draft_banner = DraftBanner(self)
        self.draft_banner.restore_requested.connect(self.restore_draft)
        self.draft_banner.discard_requested.connect(self.discard_draft)
        self.summary = text_label(name="intakeErrorSummary", style="color: #b3261e; font-weight: bold;", hidden=True)
        self.save_button = button("保存登记", "intakeSave", "保存登记", self.save, tip="Ctrl+S")
        self.save_button.setDefault(True)
        self.save_button.setMinimumWidth(self.save_button.fontMetrics().horizontalAdvance("正在保存…") + 48)
        self.clear_button = button("清空", "intakeClear", "清空表单", self._clear_clicked)
        shortcut(self, QKeySequence.StandardKey.Save, self.save, local=False)
        content = pane(case_group, self.parties, STRETCH, margins=None, name="intakeContent")
        self.scroll = scroll_area(content, "intakeScroll", frame=False, accessible="收件登记表单")
        vbox(self.draft_banner, self.result, (self.scroll, 1),
             hbox((self.summary, 100), STRETCH, self.clear_button, self.save_button), parent=self)

        enter_advances(self.cause, self.procedure, self.amount, self.received_on)
        self.parties.add_party(PartyRole.PLAINTIFF)
        self.parties.add_party(PartyRole.DEFENDANT)
        self.setFocusProxy(self.cause)
        saver = self.save_draft
        crash.drafts.register(DRAFT_NAME, saver)
        self.destroyed.connect(lambda *_: crash.drafts.unregister(DRAFT_NAME, saver))
        self.draft_banner.offer(self.draft_path)
        self._autosaved = ""
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("intakeAutosave")
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start(AUTOSAVE_MS)

    def autosave(self) -> None:
        """草稿自动保存: write the draft when the content changed since the last autosave (never while saving)."""
        if self.saving or self.is_blank():
            return
        data = self.to_draft()
        data.pop("saved_at", None)
        key = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if key == self._autosaved:
            return
        try:
            self.save_draft()
        except OSError:
            return  # a full or read-only disk: the next tick tries again; the crash handler still saves
        self._autosaved = key

    def update_tab_order(self) -> None:
        chain: list[QWidget] = [self.cause, self.procedure, self.amount, self.received_on, self.claims,
                                self.facts, *self.parties.focus_widgets(), self.clear_button, self.save_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    # -- values ----------------------------------------------------------------------------------
    def value(self) -> intake.CaseInput:
        proc = self.procedure.currentData()
        return intake.CaseInput(
            cause_code=self.cause.code(), cause_name=self.cause.text(),
            procedure=Procedure(proc) if proc else None, claim_amount=self.amount.text(),
            claims=self.claims.toPlainText(), facts=self.facts.toPlainText(),
            received_on=qdate_to_date(self.received_on.date()), parties=self.parties.values(),
        )

    def is_blank(self) -> bool:
        return not (self.cause.text().strip() or self.amount.text().strip() or self.claims.toPlainText().strip()
                    or self.facts.toPlainText().strip()) and self.parties.is_blank()

    def clear(self) -> None:
        self.clear_errors()
        self.cause.set_cause(None)
        self.procedure.setCurrentIndex(0)
        self.amount.clear()
        self.received_on.setDate(today_qdate())
        self.claims.clear()
        self.facts.clear()
        self.parties.reset()
        self.update_tab_order()
        self.scroll.verticalScrollBar().setValue(0)
        self.cause.setFocus()

    def _clear_clicked(self) -> None:
        if not self.is_blank():
            self.save_draft()  # 清空 can be undone: the content stays restorable as a draft
            self.draft_banner.offer(self.draft_path, text="已清空。刚才的内容已保存为草稿，")
        self.result.hide()
        self.clear()

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        self.result.hide()
        data = self.value()
        user = self.user

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            case = intake.create_case(session, user, data, court_code=court_code_of(session))
            return case.id, case.receipt_number, [p.name for p in case.parties]

        self._set_saving(True)
        run_in_background(work, parent=self, db=self.db, write=True, on_success=self._saved,
                          on_failure=self._save_failed, on_finally=lambda: self._set_saving(False),
                          progress="正在保存…")

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        self.save_button.setEnabled(not on)
        self.save_button.setText("正在保存…" if on else "保存登记")

    def _saved(self, result: tuple[uuid.UUID, str, list[str]]) -> None:
        case_id, receipt, names = result
        self.result.show_saved(receipt, names)
        self.delete_draft()
        self.draft_banner.hide()
        self.clear()
        self.saved.emit(case_id, receipt)

    def _save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationErrors):
            self.show_errors(exc.errors)
        elif isinstance(exc, ValidationError):
            self.show_errors([exc])
        elif isinstance(exc, KnownError):
            show_known_error(self, exc)

    def show_errors(self, errors: list[ValidationError]) -> None:
        """Put each message next to its field; the ones without a field go to the summary line."""
        first: QWidget | None = None
        loose: list[str] = []
        for err in errors:
            target = self._show_error(err)
            if target is None:
                loose.append(err.message)
            elif first is None:
                first = target
        n = len(errors)
        text = f"有 {n} 处需要修改，请查看标红的栏目。" if n > len(loose) else ""
        text = "；".join([t for t in [text.rstrip("。"), *loose] if t]) + ("。" if text or loose else "")
        self.summary.setText(text)
        self.summary.setVisible(bool(text))
        self.summary.setAccessibleName(text)
        if first is not None:
            self.scroll.ensureWidgetVisible(first, 50, 80)
            first.setFocus()

    def _show_error(self, err: ValidationError) -> QWidget | None:
        key = err.key or ""
        if key in self.case_boxes:
            self.case_boxes[key].set_error(err.reason)
            return self.case_boxes[key].widget
        if key.startswith("party") and "." in key:
            head, _, rest = key.partition(".")
            try:
                i = int(head.removeprefix("party"))
            except ValueError:
                return None
            return self.parties.set_error(i, rest, err.reason)
        return None

    def clear_errors(self) -> None:
        for box in self.case_boxes.values():
            box.clear_error()
        self.parties.clear_errors()
        self.summary.clear()
        self.summary.setVisible(False)

    def errors_shown(self) -> dict[str, str]:
        """Visible field errors by key (``cause``, ``party0.id_number`` …); used by tests."""
        out = {k: b.error_text() for k, b in self.case_boxes.items() if b.has_error}
        out.update(self.parties.errors_shown())
        return out

    # -- drafts ----------------------------------------------------------------------------------
    @property
    def draft_path(self) -> Path:
        return draft_file(self.paths, self.user)

    def to_draft(self) -> dict:
        return {
            "version": 1, "saved_at": datetime.now().isoformat(timespec="seconds"),
            "cause": self.cause.text(), "cause_code": self.cause.cause.code if self.cause.cause else "",
            "procedure": self.procedure.currentData() or "", "claim_amount": self.amount.text(),
            "received_on": qdate_to_date(self.received_on.date()).isoformat(),
            "claims": self.claims.toPlainText(), "facts": self.facts.toPlainText(),
            "parties": self.parties.to_dicts(),
        }

    def load_draft(self, data: dict) -> None:
        from baihe_desk.services.filing import causes

        self.clear()
        cause = causes.by_code(data.get("cause_code") or "")
        if cause is not None and cause.name == data.get("cause"):
            self.cause.set_cause(cause)
        else:
            self.cause.setText(str(data.get("cause") or ""))
        idx = self.procedure.findData(data.get("procedure") or "")
        self.procedure.setCurrentIndex(max(idx, 0))
        self.amount.setText(str(data.get("claim_amount") or ""))
        try:
            received = date.fromisoformat(data.get("received_on") or "")
            self.received_on.setDate(to_qdate(min(received, desk_today())))
        except ValueError:
            pass
        self.claims.setPlainText(str(data.get("claims") or ""))
        self.facts.setPlainText(str(data.get("facts") or ""))
        self.parties.load(data.get("parties") or [])
        self.update_tab_order()

    def save_draft(self) -> Path | None:
        """Write the form to the draft file (nothing when the form is blank). Used by the crash handler."""
        if self.is_blank():
            return None
        self.draft_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.draft_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_draft(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.draft_path)
        return self.draft_path

    def delete_draft(self) -> None:
        self.draft_path.unlink(missing_ok=True)

    def restore_draft(self) -> None:
        try:
            data = json.loads(self.draft_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            show_known_error(self, KnownError("草稿文件无法读取，可能已损坏。"))
            return
        self.load_draft(data)
        self.delete_draft()
        self.draft_banner.hide()
        self.cause.setFocus()

    def discard_draft(self) -> None:
        self.delete_draft()
        self.draft_banner.hide()

    def field(self, key: str) -> QWidget:
        """The input for an error key (``cause``, ``party1.credit_code``, ``party0.agent0.name``)."""
        if key in self.case_boxes:
            return self.case_boxes[key].widget
        head, _, rest = key.partition(".")
        editor = self.parties.editors[int(head.removeprefix("party"))]
        if rest.startswith("agent"):
            a, _, sub = rest.partition(".")
            return editor.agents[int(a.removeprefix("agent"))].field(sub)
        return editor.field(rest)


def draft_file(paths: Paths, user: User) -> Path:
    """Each user's own intake draft (issue 17: one file shared by every user of the desk)."""
    return paths.drafts / user.id.hex / DRAFT_FILE
