"""执行咨询函编辑 — the judge's draft editor: parties and known assets, the draft terms, questions and
attachments, with the enforceability warnings updated as the judge types.

Drafts save as they are typed: every edit restarts a short timer (``AUTOSAVE_MS``); when it fires the
draft is written to the database in the background (``enforcement_consultation.save_draft``; nothing
is written when nothing changed). What is on screen is also registered with the crash handler
(``crash.drafts``), so a crash between two saves leaves ``drafts/enforcement-consultation-<id>.json``,
which the editor offers to restore the next time the draft is opened. Sending saves first, then asks
the service to send; if gaps remain the judge confirms (仍要发送) or goes back to fix them.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.models import User
from baihe_desk.models.enforcement import TermsKind
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement.draft import (
    DraftData,
    check_draft,
    draft_of,
    draft_to_json,
)
from baihe_desk.services.enforcement.enforceability import GAP, summary
from baihe_desk.storage.db import Database
from baihe_desk.ui.common import crash
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.confirm import check_then_confirm
from baihe_desk.ui.common.conflict import is_edit_conflict
from baihe_desk.ui.common.forms import enter_advances, text_box
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import STRETCH, group, hbox, pane, scroll_area, shortcut, vbox
from baihe_desk.ui.common.qt import QCoreApplication, QKeySequence, QLineEdit, Qt, QWidget, Signal
from baihe_desk.ui.common.widgets import button, combo, named, show_known_error, single_shot, text_label
from baihe_desk.ui.enforcement.drafts import DRAFT_NAME, CrashDraftMixin
from baihe_desk.ui.enforcement.parts import AttachmentsBox, Banner, GapList, PartiesTable, TermsBox, confirm

AUTOSAVE_MS = 1500
GAPS_MS = 200


class ConsultationEditor(CrashDraftMixin, QWidget):
    """草稿编辑. ``sent(id)`` after sending, ``discarded(id)`` after deleting the draft."""

    sent = Signal(object)
    discarded = Signal(object)
    saved = Signal(object)

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName("enfEditor")
        self.consultation_id: uuid.UUID | None = None
        self.stored_json: dict | None = None  # what the database holds
        self.version: int | None = None  # the draft's row_version this editor showed (sent with every save)
        self.saving = False
        self.pending = False
        self.edits = 0  # edit generation: a save only clears "dirty" if nothing was typed meanwhile
        self.saved_edits = 0
        self.edits_at_send = 0
        self._loading = False

        self.banner = Banner("enfDraftBanner", "恢复草稿", "enfRestoreDraft", "丢弃", "enfDropDraft", self)
        self.banner.accepted.connect(self.restore_crash_draft)
        self.banner.rejected.connect(self.drop_crash_draft)
        self.header = text_label(name="enfHeader", wrap=False, style="font-weight: bold;")
        self.save_state = text_label(name="enfSaveState", wrap=False)
        self.save_state.setAccessibleName("保存状态")

        self.terms_kind = combo("enfTermsKind", "条款类别", [(kind.label, kind.value) for kind in TermsKind])
        self.stage_note = named(QLineEdit(), "enfStageNote", "审理阶段")
        self.stage_note.setPlaceholderText("如：调解中，拟出具民事调解书")
        self.department = named(QLineEdit(), "enfDepartment", "咨询部门")
        self.phone = digits_field(named(QLineEdit(), "enfPhone", "联系电话"), "phone")
        basics = group("基本信息", rows=[("条款类别：", self.terms_kind), ("审理阶段：", self.stage_note),
                                        ("咨询部门：", self.department), ("联系电话：", self.phone)])
        self.parties = PartiesTable(self)
        self.terms = TermsBox(self)
        self.questions = text_box("enfQuestions", "咨询问题", lines=4, pad=12,
                                  placeholder="每行一个问题，如：分期履行条款是否需要加速到期条款？")
        self.attachments = AttachmentsBox(self)
        content = pane(basics, self.parties, self.terms, group("请求研究的问题（每行一个）", self.questions),
                       self.attachments, STRETCH, margins=None)
        self.scroll = scroll_area(content, "enfEditorScroll", frame=False, accessible="执行咨询函编辑区")

        self.gaps = GapList(self)
        self.gaps.activated_gap.connect(self.go_to_gap)
        self.discard_button = button("删除草稿", "enfDiscard", "删除草稿", self.ask_discard)
        self.save_button = button("立即保存", "enfSaveNow", "立即保存", self.save_now, tip="Ctrl+S")
        self.send_button = button("发送执行局", "enfSend", "发送执行局", self.send, tip="Ctrl+Enter")
        shortcut(self, QKeySequence.StandardKey.Save, self.save_now, local=False)
        shortcut(self, "Ctrl+Return", self.send, local=False)
        vbox(self.banner, hbox((self.header, 1), self.save_state), (self.scroll, 3), (self.gaps, 1),
             hbox(self.discard_button, STRETCH, self.save_button, self.send_button), margins=0, parent=self)

        self.save_timer = single_shot(self, AUTOSAVE_MS, self.save_now)
        self.gap_timer = single_shot(self, GAPS_MS, self.update_gaps)
        for w in (self.stage_note, self.department, self.phone):
            w.textChanged.connect(self.edited)
        enter_advances(self.terms_kind, self.stage_note, self.department, self.phone)
        self.terms_kind.currentIndexChanged.connect(self.edited)
        self.questions.textChanged.connect(self.edited)
        for part in (self.parties, self.terms, self.attachments):
            part.changed.connect(self.edited)
        saver = self.save_crash_draft
        crash.drafts.register(DRAFT_NAME, saver)
        self.destroyed.connect(lambda *_: crash.drafts.unregister(DRAFT_NAME, saver))
        app = QCoreApplication.instance()
        if app is not None:  # quitting within the autosave delay: keep the typing as a draft file
            app.aboutToQuit.connect(self._quitting)
        self.setEnabled(False)

    # -- loading ---------------------------------------------------------------------------------
    def open(self, consultation_id: uuid.UUID) -> None:
        """Load a draft (the previous one is saved first)."""
        self.flush()
        self._load(consultation_id)

    def _load(self, consultation_id: uuid.UUID) -> None:
        user = self.user

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            c = svc.load(session, consultation_id)
            from baihe_desk.models import Case

            case = session.get(Case, c.case_id)
            head = f"{case.case_number or case.receipt_number}　{case.cause_name}" if case else ""
            return c.id, head, draft_of(c), c.status.label, c.created_by_id == user.id, c.row_version

        run_in_background(work, parent=self, db=self.db, on_success=self._loaded)

    def _loaded(self, result: tuple) -> None:
        cid, head, data, status, mine, self.version = result
        self.consultation_id = cid
        self.header.setText(f"{head}　— {status}")
        self.set_data(data)
        self.stored_json = draft_to_json(data)
        self.edits = self.saved_edits = 0
        self.save_state.setText("已保存" if mine else "只读：他人起草的草稿")
        self.setEnabled(mine)
        self.banner.setVisible(False)
        path = self.crash_path
        if path is not None and path.exists():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = None
            if stored and stored.get("data") != self.stored_json:
                when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                self.banner.offer(f"发现上次异常退出时未保存的修改（{when}），是否恢复？")
            else:
                path.unlink(missing_ok=True)
        self.update_gaps()
        self.stage_note.setFocus()

    def set_data(self, d: DraftData) -> None:
        self._loading = True
        try:
            self.terms_kind.setCurrentIndex(max(self.terms_kind.findData(d.terms_kind.value), 0))
            self.stage_note.setText(d.stage_note)
            self.department.setText(d.from_department)
            self.phone.setText(d.contact_phone)
            self.parties.set_rows(d.parties)
            self.terms.set_terms(d.terms)
            self.questions.setPlainText("\n".join(d.questions))
            self.attachments.set_items(d.attachments)
        finally:
            self._loading = False

    def data(self) -> DraftData:
        return DraftData(
            terms_kind=TermsKind(self.terms_kind.currentData()), stage_note=self.stage_note.text(),
            from_department=self.department.text(), contact_phone=self.phone.text(), parties=self.parties.rows(),
            terms=self.terms.terms(), questions=[q for q in self.questions.toPlainText().splitlines() if q.strip()],
            attachments=self.attachments.items(),
        )

    # -- editing, warnings, autosave --------------------------------------------------------------
    def edited(self, *_args: object) -> None:
        if self._loading or self.consultation_id is None:
            return
        self.edits += 1
        self.save_state.setText("有未保存的修改…")
        self.save_timer.start()
        self.gap_timer.start()

    def update_gaps(self) -> None:
        gaps = check_draft(self.data())
        self.gaps.show_gaps(gaps, summary(gaps))
        self.terms.form.show_problems(self.terms.form.problems())

    def go_to_gap(self, term_seq: int | None, fld: str) -> None:
        if term_seq is not None:
            self.terms.select(term_seq - 1)
            widget = self.terms.form.field(fld) if fld in self.terms.form.widgets else self.terms.form.kind
            self.scroll.ensureWidgetVisible(widget, 50, 80)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def dirty(self) -> bool:
        return self.edits != self.saved_edits

    def flush(self) -> None:
        """Save now if anything is unsaved (switching drafts, closing the page)."""
        if self.consultation_id is not None and self.dirty:
            self.save_timer.stop()
            self.save_now()

    def save_now(self) -> None:
        if self.consultation_id is None or not self.isEnabled():
            return
        if self.saving:
            self.pending = True
            return
        problems = self.terms.form.problems()
        if problems:
            self.save_state.setText("有无法识别的输入（标红处），改正后自动保存")
            return
        data, cid, generation = self.data(), self.consultation_id, self.edits
        self.saving = True
        self.save_state.setText("正在保存…")
        run_in_background(self._store(cid, data), parent=self, db=self.db, write=True,
                          on_success=lambda result: self._saved(cid, generation, data, result),
                          on_failure=lambda exc: self._save_failed(exc, cid), on_finally=self._save_finished)

    def _store(self, cid: uuid.UUID, data: DraftData):  # type: ignore[no-untyped-def]
        """The save, as a background job: sends the version this editor showed; returns (changed, new version)."""
        user, expected = self.user, self.version

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            changed = svc.save_draft(session, user, cid, data, expected_version=expected)
            session.flush()
            return changed, svc.load(session, cid).row_version
        return work

    def _saved(self, cid: uuid.UUID, generation: int, data: DraftData, result: tuple[bool, int]) -> None:
        changed, version = result
        if cid != self.consultation_id:  # the previous draft's save, finished after the next one was opened
            if changed:
                self.saved.emit(cid)
            return
        self.version = version
        self.saved_edits = max(self.saved_edits, generation)
        self.stored_json = draft_to_json(data)
        if not self.dirty:
            self.save_state.setText(f"已自动保存 {datetime.now():%H:%M:%S}")
            if self.crash_path is not None:
                self.crash_path.unlink(missing_ok=True)
        if changed:
            self.saved.emit(self.consultation_id)

    def _save_failed(self, exc: BaseException, cid: uuid.UUID | None = None) -> None:
        if is_edit_conflict(exc):  # saved at another desk since this one loaded it: show both texts, reload
            show_known_error(self, exc)  # type: ignore[arg-type]
            if cid is None or cid == self.consultation_id:
                self.save_timer.stop()
                self.pending = False
                self.saved_edits = self.edits  # what was typed is in the dialog (复制我写的文字), not re-sent
                self.save_state.setText("未保存：该草稿已在其他工作台修改，已重新载入")
                self._load(self.consultation_id)  # type: ignore[arg-type]
            return
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        text = "；".join(e.message for e in errors) if errors else str(exc)
        self.save_state.setText(f"未能保存：{text}")
        if not errors and isinstance(exc, KnownError):
            show_known_error(self, exc)

    def _save_finished(self) -> None:
        self.saving = False
        if self.pending:
            self.pending = False
            self.save_now()

    # -- send / discard ----------------------------------------------------------------------------
    def send(self, *, acknowledge: bool = False) -> None:
        if self.consultation_id is None or not self.isEnabled():
            return
        if self.terms.form.problems():
            self.update_gaps()
            show_known_error(self, KnownError("拟定条款中有无法识别的输入（标红处），请改正后再发送。"))
            return
        self.save_timer.stop()
        data, cid, user, expected = self.data(), self.consultation_id, self.user, self.version
        if not acknowledge:  # asked once: here when the checks pass, or by the open-gaps box (仍要发送)
            self.edits_at_send = generation = self.edits

            def saved(result: tuple[bool, int]) -> None:  # the draft is kept; only the sending is tried
                self._saved(cid, generation, data, result)
                check_then_confirm(self, self.db, lambda session: svc.send(session, user, cid).number,
                                   title="发送执行咨询函", on_refused=self._send_failed, on_yes=lambda: self.send(
                                       acknowledge=True), text=lambda number: f"发送执行咨询函 {number} 至执行局。"
                                   "发送后不能再修改，执行局按期回复。确认发送吗？")

            run_in_background(self._store(cid, data), parent=self, db=self.db, write=True, on_success=saved,
                              on_failure=lambda exc: self._send_failed(exc, cid), progress="正在保存…")
            return

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            svc.save_draft(session, user, cid, data, expected_version=expected)
            session.commit()  # the draft is kept even if sending stops at the gap check
            return svc.send(session, user, cid, acknowledge_gaps=acknowledge).id

        self.send_button.setEnabled(False)
        self.edits_at_send = self.edits
        run_in_background(work, parent=self, db=self.db, write=True, on_success=self._sent,
                          on_failure=self._send_failed, on_finally=lambda: self.send_button.setEnabled(True),
                          progress="正在发送…")

    def _sent(self, cid: uuid.UUID) -> None:
        self.saved_edits = self.edits
        if self.crash_path is not None:
            self.crash_path.unlink(missing_ok=True)
        self.consultation_id = None
        self.setEnabled(False)
        self.sent.emit(cid)

    def _send_failed(self, exc: BaseException, cid: uuid.UUID | None = None) -> None:
        if isinstance(exc, svc.GapsOpen):
            self.saved_edits = self.edits_at_send
            self.gaps.show_gaps(exc.gaps, summary(exc.gaps))
            confirm(self, "enfGapsConfirm", exc.title, exc.message + "\n\n是否仍要发送？",
                    ("仍要发送", "enfSendAnyway", lambda: self.send(acknowledge=True)),
                    ("返回修改", "enfBackToFix", self.gaps.setFocus), warning=True)
            return
        self._save_failed(exc, cid)

    def ask_discard(self) -> None:
        if self.consultation_id is None:
            return
        confirm(self, "enfDiscardConfirm", "删除草稿", "删除这份执行咨询函草稿？删除后不能恢复（内容保留在审计记录中）。",
                ("删除", "enfDiscardYes", self._discard), ("取消", "enfDiscardNo", None))

    def _discard(self) -> None:
        cid, user = self.consultation_id, self.user
        self.save_timer.stop()

        def done(_r: object) -> None:
            self.drop_crash_draft()
            self.consultation_id = None
            self.saved_edits = self.edits
            self.setEnabled(False)
            self.discarded.emit(cid)

        run_in_background(lambda s, _c: svc.discard(s, user, cid), parent=self, db=self.db, write=True, on_success=done)

    def gap_codes(self) -> list[str]:
        return [g.code for g in self.gaps.gaps if g.severity == GAP]
