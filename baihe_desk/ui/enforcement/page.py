"""执行咨询 — the judge's page: my consultations (with the reply clock), a new consultation from a
case (案号 or 收件号), the draft editor with live enforceability warnings, and for a sent one the
reply and the adoption. The lead adds it with ``MainWindow.add_page("执行咨询", EnforcementConsultPage(
db, paths, user))`` for users with ``Perm.CONSULT_DRAFT``.
"""

from __future__ import annotations

import uuid

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.enforcement import ConsultStatus, TermsKind
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement import queries
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.case_picker import CaseField
from baihe_desk.ui.common.layout import hbox, pane, shortcut, splitter, vbox
from baihe_desk.ui.common.list_detail import ListDetailPage
from baihe_desk.ui.common.qt import QLabel, QStackedWidget, Qt, QWidget
from baihe_desk.ui.common.widgets import buddy_label, button, combo, text_label
from baihe_desk.ui.enforcement.consultation_list import STATS_STYLE, ConsultListModel
from baihe_desk.ui.enforcement.editor import ConsultationEditor
from baihe_desk.ui.enforcement.viewer import ConsultationViewer

PLACEHOLDER, EDITOR, VIEWER = range(3)


class EnforcementConsultPage(ListDetailPage):
    """执行咨询（法官）. Constructor ``(db, paths, user, parent=None)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "enforcementConsultPage", ConsultListModel, ("enfMyList", "我的执行咨询"), parent,
                         wrap=False)
        self.current_id: uuid.UUID | None = None

        self.case_ref = CaseField(db, "enfCaseRef", "案号或收件号")  # the one case picker
        self.new_kind = combo("enfNewKind", "条款类别", [(k.label, k.value) for k in (TermsKind.SETTLEMENT, TermsKind.JUDGMENT)])
        self.new_button = button("新建执行咨询函", "enfNew", "新建执行咨询函", self.create, tip="Ctrl+N")
        self.case_ref.returnPressed.connect(self.create)
        shortcut(self, "Ctrl+N", lambda: self.case_ref.setFocus(), local=False)
        self.stats = text_label(name="enfStats", style=STATS_STYLE)

        self.editor = ConsultationEditor(db, paths, user, self)
        self.viewer = ConsultationViewer(db, paths, user, self)
        self.editor.sent.connect(self._sent)
        self.editor.discarded.connect(lambda _id: self.refresh())
        self.editor.saved.connect(lambda _id: self.refresh(keep=True))
        self.viewer.changed.connect(lambda _id: self.refresh(keep=True))
        hint = QLabel("请在左侧选择一份执行咨询函，或输入案号新建。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.setObjectName("enfStack")
        for w in (hint, self.editor, self.viewer):
            self.stack.addWidget(w)

        split = splitter("enfSplit", pane(QLabel("我的执行咨询："), (self.table, 1)), self.stack, stretch=(2, 3),
                         sizes=(580, 620))  # 案号 in sight at 1180
        vbox(hbox(buddy_label("案号或收件号(&A)：", self.case_ref), (self.case_ref, 2), self.new_kind, self.new_button),
             self.stats, (split, 1), parent=self)
        self.refresh()

    # -- list --------------------------------------------------------------------------------------
    def live_query(self):  # type: ignore[no-untyped-def]
        user = self.user
        return lambda s: (queries.list_mine(s, user), queries.statistics(s))

    def live_key(self):  # type: ignore[no-untyped-def]
        return self.current_id

    def refresh(self, *, keep: bool = False, select: uuid.UUID | None = None) -> None:  # type: ignore[override]
        user = self.user
        wanted = select or (self.current_id if keep else None)

        def listed(result: tuple) -> None:
            self.stats.setText("本院执行咨询：" + result[1].text())
            if select is not None and self.model.row_of(wanted) >= 0:
                self.open(wanted)

        self.list_rows(lambda s: (queries.list_mine(s, user), queries.statistics(s)), keep=wanted, quiet=True,
                       then=listed)

    def row_selected(self, row: queries.ConsultRow) -> None:
        self.open(row.id)

    def open(self, consultation_id: uuid.UUID) -> None:
        row = self.model.row(self.model.row_of(consultation_id))
        self.current_id = consultation_id
        if row is not None and row.status is not ConsultStatus.DRAFT:
            self.editor.flush()
            self.viewer.open(consultation_id)
            self.stack.setCurrentIndex(VIEWER)
        else:
            self.editor.open(consultation_id)
            self.stack.setCurrentIndex(EDITOR)

    # -- actions -----------------------------------------------------------------------------------
    def create(self) -> None:
        ref = self.case_ref.text().strip()
        if not ref:
            self.case_ref.setFocus()
            return
        user, kind, chosen = self.user, TermsKind(self.new_kind.currentData()), self.case_ref.case_id

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            from baihe_desk.services.common.case_picker import find_case_id

            return svc.create(session, user, chosen or find_case_id(session, ref), terms_kind=kind).id

        def done(cid: uuid.UUID) -> None:
            self.case_ref.clear()
            self.case_ref.case_id = None
            self.refresh(select=cid)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done)

    def _sent(self, cid: uuid.UUID) -> None:
        self.refresh(select=cid)
