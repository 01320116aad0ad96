"""执行咨询函（已发送）— read the consultation and the bureau's reply, record adoption, generate the
two documents. Adoption is offered only to the consulting judge (the service checks it again)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.models.enforcement import ConsultStatus
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import message_box, named, show_known_error
from baihe_desk.ui.enforcement.html import consultation_html

ADOPT_CHOICES = [("请选择", None), ("采纳", True), ("不采纳", False)]


@dataclass
class ViewData:
    id: uuid.UUID
    case_id: uuid.UUID
    status: ConsultStatus
    html: str
    can_adopt: bool
    has_advice: bool
    suggestions: list[tuple[uuid.UUID, str, bool | None, str]] = field(default_factory=list)
    adoption_note: str = ""


def load_view(session, consultation_id: uuid.UUID, user: User) -> ViewData:  # type: ignore[no-untyped-def]
    c = svc.load(session, consultation_id)
    suggestions = []
    if c.advice is not None and c.status is not ConsultStatus.SENT:
        for i in c.advice.items:
            if not i.is_suggestion:
                continue
            what = (f"第{i.term_seq}项：{i.verdict.label if i.verdict else ''}　{i.suggestion or i.reason}"
                    if i.term_seq is not None else f"{i.measure.label if i.measure else ''}：{i.suggestion}")
            suggestions.append((i.id, what, i.adopted, i.adoption_note))
    can = (c.status not in (ConsultStatus.DRAFT, ConsultStatus.SENT) and c.consulting_user_id == user.id)
    return ViewData(c.id, c.case_id, c.status, consultation_html(session, c, today=svc.today_local()), can,
                    c.advice is not None and c.status is not ConsultStatus.SENT, suggestions, c.adoption_note)


class AdoptionBox(QGroupBox):
    """记录采纳情况: 采纳 / 不采纳 for every suggestion, with an optional note each and an overall reason."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("记录采纳情况（仅咨询法官本人）", parent)
        self.grid = QGridLayout()
        self.rows: list[tuple[uuid.UUID, QComboBox, QLineEdit]] = []
        self.note = named(QLineEdit(), "enfAdoptionNote", "采纳情况说明")
        self.note.setPlaceholderText("未采纳的，请简要说明理由")
        self.button = named(QPushButton("记录采纳情况"), "enfRecordAdoption", "记录采纳情况")
        self.overall = named(QComboBox(), "enfAdoptAll", "是否采纳")
        for text, value in ADOPT_CHOICES:
            self.overall.addItem(text, value)
        bottom = QHBoxLayout()
        note_label = QLabel("说明：")
        note_label.setBuddy(self.note)
        bottom.addWidget(note_label)
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.overall)
        layout.addLayout(bottom)

    def set_suggestions(self, items: list[tuple[uuid.UUID, str, bool | None, str]], note: str) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.rows = []
        for n, (item_id, text, adopted, item_note) in enumerate(items):
            label = QLabel(f"{n + 1}．{text}")
            label.setWordWrap(True)
            combo = named(QComboBox(), f"enfAdopt{n}", f"建议{n + 1}是否采纳")
            for t, value in ADOPT_CHOICES:
                combo.addItem(t, value)
            combo.setCurrentIndex([v for _t, v in ADOPT_CHOICES].index(adopted))
            edit = named(QLineEdit(item_note), f"enfAdoptNote{n}", f"建议{n + 1}的说明")
            edit.setPlaceholderText("说明（可不填）")
            label.setBuddy(combo)
            self.grid.addWidget(label, n, 0)
            self.grid.addWidget(combo, n, 1)
            self.grid.addWidget(edit, n, 2)
            self.rows.append((item_id, combo, edit))
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(2, 2)
        self.overall.setVisible(not items)
        self.note.setText(note)


class ConsultationViewer(QWidget):
    """已发送的执行咨询函 (judge side). ``changed(id)`` after adoption was recorded."""

    changed = Signal(object)

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.view: ViewData | None = None
        self.setObjectName("enfViewer")
        self.text = named(QTextBrowser(), "enfViewText", "执行咨询函内容")
        self.text.setOpenLinks(False)
        self.adoption = AdoptionBox(self)
        self.adoption.button.clicked.connect(self.record_adoption)
        self.gen_consult = named(QPushButton("生成执行咨询函"), "enfGenConsult", "生成执行咨询函（PDF和Word）")
        self.gen_advice = named(QPushButton("生成执行建议"), "enfGenAdvice", "生成执行建议（PDF和Word）")
        self.gen_consult.clicked.connect(lambda: self.generate("enforcement-consultation"))
        self.gen_advice.clicked.connect(lambda: self.generate("enforcement-advice"))
        self.doc_result = QLabel()
        self.doc_result.setObjectName("enfDocResult")
        self.doc_result.setWordWrap(True)
        self.doc_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.doc_result, 1)
        buttons.addWidget(self.gen_consult)
        buttons.addWidget(self.gen_advice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.adoption)
        layout.addLayout(buttons)
        self.adoption.setVisible(False)
        self.generated: list[Path] = []

    def open(self, consultation_id: uuid.UUID) -> None:
        user = self.user
        run_in_background(lambda s, _c: load_view(s, consultation_id, user), parent=self, db=self.db,
                          on_success=self._loaded)

    def _loaded(self, view: ViewData) -> None:
        self.view = view
        self.text.setHtml(view.html)
        self.adoption.setVisible(view.can_adopt)
        self.adoption.set_suggestions(view.suggestions, view.adoption_note)
        self.gen_advice.setEnabled(view.has_advice)
        self.doc_result.clear()

    def record_adoption(self) -> None:
        if self.view is None:
            return
        decisions = {}
        for item_id, combo, edit in self.adoption.rows:
            if combo.currentData() is not None:
                decisions[item_id] = (bool(combo.currentData()), edit.text())
        cid, user, note = self.view.id, self.user, self.adoption.note.text()
        overall = self.adoption.overall.currentData() if not self.adoption.rows else None

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return svc.record_adoption(session, user, cid, decisions, note, adopted_all=overall)

        def done(status: ConsultStatus) -> None:
            message_box(self, "已记录", f"采纳情况已记录：{status.label}。", icon=QMessageBox.Icon.Information)
            self.open(cid)
            self.changed.emit(cid)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done)

    def generate(self, kind: str) -> None:
        if self.view is None:
            return
        from baihe_desk.services.common import documents

        cid, case_id, user, paths = self.view.id, self.view.case_id, self.user, self.paths

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            records = documents.generate(session, user, kind, case_id, ("pdf", "docx"), paths=paths,
                                         options={"consultation_id": cid})
            return [documents.document_path(paths, r) for r in records]

        def done(files: list[Path]) -> None:
            self.generated = files
            self.doc_result.setText("已生成：" + "；".join(str(f) for f in files))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                show_known_error(self, exc)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=failed,
                          progress="正在生成文书…")
