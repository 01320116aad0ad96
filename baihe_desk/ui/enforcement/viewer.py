"""执行咨询函（已发送）— read the consultation and the bureau's reply, record adoption, generate the
two documents. Adoption is offered only to the consulting judge (the service checks it again)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.enforcement import ConsultStatus
from baihe_desk.services.common import documents
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.files import exported_box
from baihe_desk.ui.common.law_panel import connect_links
from baihe_desk.ui.common.layout import hbox, vbox
from baihe_desk.ui.common.qt import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTextBrowser,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import buddy_label, button, combo, message_box, named, text_label
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
        self.button = button("记录采纳情况", "enfRecordAdoption", "记录采纳情况")
        self.overall = combo("enfAdoptAll", "是否采纳", ADOPT_CHOICES)
        vbox(self.grid, self.overall, hbox(buddy_label("说明：", self.note), (self.note, 1), self.button), parent=self)

    def set_suggestions(self, items: list[tuple[uuid.UUID, str, bool | None, str]], note: str) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:  # out of the box now (not at the next event loop turn): no stale row to read
                w.setParent(None)
                w.deleteLater()
        self.rows = []
        for n, (item_id, text, adopted, item_note) in enumerate(items):
            choice = combo(f"enfAdopt{n}", f"建议{n + 1}是否采纳", ADOPT_CHOICES)
            choice.setCurrentIndex([v for _t, v in ADOPT_CHOICES].index(adopted))
            label = buddy_label(f"{n + 1}．{text}", choice)
            label.setWordWrap(True)
            edit = named(QLineEdit(item_note), f"enfAdoptNote{n}", f"建议{n + 1}的说明")
            edit.setPlaceholderText("说明（可不填）")
            self.grid.addWidget(label, n, 0)
            self.grid.addWidget(choice, n, 1)
            self.grid.addWidget(edit, n, 2)
            self.rows.append((item_id, choice, edit))
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
        connect_links(self.text)  # 依据 of the enforceability findings open the law panel
        self.adoption = AdoptionBox(self)
        self.adoption.button.clicked.connect(self.record_adoption)
        self.gen_consult = button("生成执行咨询函", "enfGenConsult", "生成执行咨询函（PDF和Word）",
                                  lambda: self.generate("enforcement-consultation"))
        self.gen_advice = button("生成执行建议", "enfGenAdvice", "生成执行建议（PDF和Word）",
                                 lambda: self.generate("enforcement-advice"))
        self.doc_result = text_label(name="enfDocResult", selectable=True)
        vbox((self.text, 1), self.adoption, hbox((self.doc_result, 1), self.gen_consult, self.gen_advice), margins=0,
             parent=self)
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
        recorded = {ConsultStatus.ADOPTED: True, ConsultStatus.NOT_ADOPTED: False}.get(view.status)
        overall = self.adoption.overall  # the recorded answer, or 请选择 — not the previous consultation's pick
        overall.setCurrentIndex(max(overall.findData(recorded), 0) if recorded is not None else 0)
        self.gen_advice.setEnabled(view.has_advice)
        self.doc_result.clear()

    def record_adoption(self) -> None:
        if self.view is None:
            return
        decisions = {}
        for item_id, choice, edit in self.adoption.rows:
            if choice.currentData() is not None:
                decisions[item_id] = (bool(choice.currentData()), edit.text())
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
        if self.view is not None:
            generate_files(self, kind, self.view.id, self.doc_result)


def generate_files(owner: QWidget, kind: str, consultation_id: uuid.UUID, result: QLabel) -> None:
    """Generate ``kind`` (PDF and Word) for the consultation in the background, as ``owner.user``; the
    files go to ``owner.generated`` and are named in ``result``."""
    db, user, paths = owner.db, owner.user, owner.paths  # type: ignore[attr-defined]

    def work(session, _ctx):  # type: ignore[no-untyped-def]
        case_id = svc.load(session, consultation_id).case_id
        records = documents.generate(session, user, kind, case_id, ("pdf", "docx"), paths=paths,
                                     options={"consultation_id": consultation_id})
        return [documents.document_path(paths, r) for r in records]

    def done(files: list[Path]) -> None:
        owner.generated = files  # type: ignore[attr-defined]
        result.setText("已生成：" + "；".join(str(f) for f in files))
        exported_box(owner, "已生成", "已生成：\n" + "\n".join(str(f) for f in files),
                     sorted(files, key=lambda p: p.suffix != ".pdf"))

    run_in_background(work, parent=owner, db=db, write=True, on_success=done, progress="正在生成文书…")
