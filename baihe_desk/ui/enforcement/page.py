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
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QTableView,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.enforcement.consultation_list import ConsultListModel
from baihe_desk.ui.enforcement.editor import ConsultationEditor
from baihe_desk.ui.enforcement.viewer import ConsultationViewer

PLACEHOLDER, EDITOR, VIEWER = range(3)


class EnforcementConsultPage(QWidget):
    """执行咨询（法官）. Constructor ``(db, paths, user, parent=None)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName("enforcementConsultPage")
        self.current_id: uuid.UUID | None = None

        self.case_ref = named(QLineEdit(), "enfCaseRef", "案号或收件号")
        self.case_ref.setPlaceholderText("输入案号或收件号，如（2026）吉7502民初88号")
        self.new_kind = named(QComboBox(), "enfNewKind", "条款类别")
        for kind in (TermsKind.SETTLEMENT, TermsKind.JUDGMENT):
            self.new_kind.addItem(kind.label, kind.value)
        self.new_button = named(QPushButton("新建执行咨询函"), "enfNew", "新建执行咨询函", tip="Ctrl+N")
        self.new_button.clicked.connect(self.create)
        self.case_ref.returnPressed.connect(self.create)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.case_ref.setFocus())
        self.stats = QLabel()
        self.stats.setObjectName("enfStats")
        self.stats.setWordWrap(True)
        self.stats.setStyleSheet("color: #5f6368;")

        self.model = ConsultListModel(self)
        self.table = named(QTableView(), "enfMyList", "我的执行咨询")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_selected(cur.row()))

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

        new_row = QHBoxLayout()
        ref_label = QLabel("案号或收件号(&A)：")
        ref_label.setBuddy(self.case_ref)
        new_row.addWidget(ref_label)
        new_row.addWidget(self.case_ref, 2)
        new_row.addWidget(self.new_kind)
        new_row.addWidget(self.new_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("我的执行咨询："))
        left_layout.addWidget(self.table, 1)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("enfSplit")
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([440, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(new_row)
        layout.addWidget(self.stats)
        layout.addWidget(split, 1)
        self.refresh()

    # -- list --------------------------------------------------------------------------------------
    def refresh(self, *, keep: bool = False, select: uuid.UUID | None = None) -> None:
        user = self.user
        wanted = select or (self.current_id if keep else None)

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return queries.list_mine(session, user), queries.statistics(session)

        def done(result: tuple) -> None:
            rows, stats = result
            self.model.set_rows(rows)
            self.stats.setText("本院执行咨询：" + stats.text())
            if wanted is not None and self.model.row_of(wanted) >= 0:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(self.model.row_of(wanted))
                self.table.selectionModel().blockSignals(False)
                if select is not None:
                    self.open(wanted)

        run_in_background(work, parent=self, db=self.db, on_success=done)

    def _row_selected(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open(self.model.rows[row].id)

    def open(self, consultation_id: uuid.UUID) -> None:
        row = self.model.rows[self.model.row_of(consultation_id)] if self.model.row_of(consultation_id) >= 0 else None
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
        user, kind = self.user, TermsKind(self.new_kind.currentData())

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            case = queries.find_case(session, ref)
            return svc.create(session, user, case.id, terms_kind=kind).id

        def done(cid: uuid.UUID) -> None:
            self.case_ref.clear()
            self.refresh(select=cid)

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done)

    def _sent(self, cid: uuid.UUID) -> None:
        self.refresh(select=cid)
