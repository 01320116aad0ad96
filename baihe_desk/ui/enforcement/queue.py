"""执行局 — the enforcement bureau's queue of 执行咨询函: waiting ones first (the most urgent on top, overdue
in red), the consultation to read, and the 执行建议 to write and submit. The lead adds it with
``MainWindow.add_page("执行咨询收件", EnforcementQueuePage(db, paths, user))`` for users with
``Perm.CONSULT_REPLY`` (Role.ENFORCEMENT).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.enforcement import ConsultStatus
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.enforcement import queries
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    Qt,
    QTableView,
    QTextBrowser,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import message_box, named
from baihe_desk.ui.enforcement.consultation_list import ConsultListModel
from baihe_desk.ui.enforcement.html import consultation_html
from baihe_desk.ui.enforcement.reply import ReplyEditor, load_context


class EnforcementQueuePage(QWidget):
    """执行咨询收件（执行局）. Constructor ``(db, paths, user, parent=None)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName("enforcementQueuePage")
        self.current_id: uuid.UUID | None = None
        self.generated: list[Path] = []

        self.show_closed = named(QCheckBox("显示已记录采纳情况的"), "enfShowClosed", "显示已记录采纳情况的咨询")
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = named(QPushButton("刷新"), "enfQueueRefresh", "刷新收件列表", tip="F5")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(lambda: self.refresh(keep=True))
        self.stats = QLabel()
        self.stats.setObjectName("enfQueueStats")
        self.stats.setWordWrap(True)
        self.stats.setStyleSheet("color: #5f6368;")
        self.model = ConsultListModel(self)
        self.table = named(QTableView(), "enfQueue", "执行咨询收件列表")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._row_selected(cur.row()))

        self.text = named(QTextBrowser(), "enfQueueText", "执行咨询函内容")
        self.text.setOpenLinks(False)
        self.reply = ReplyEditor(db, user, self)
        self.reply.submitted.connect(self._submitted)
        self.reply_scroll = QScrollArea()
        self.reply_scroll.setObjectName("enfReplyScroll")
        self.reply_scroll.setWidgetResizable(True)
        self.reply_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.reply_scroll.setWidget(self.reply)
        self.reply_scroll.setVisible(False)
        self.gen_advice = named(QPushButton("生成执行建议"), "enfQueueGenAdvice", "生成执行建议（PDF和Word）")
        self.gen_advice.clicked.connect(self.generate)
        self.gen_advice.setVisible(False)
        self.doc_result = QLabel()
        self.doc_result.setObjectName("enfQueueDocResult")
        self.doc_result.setWordWrap(True)

        right = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("enfQueueRight")
        right.addWidget(self.text)
        right.addWidget(self.reply_scroll)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel("收到的执行咨询函："), 1)
        head.addWidget(self.show_closed)
        head.addWidget(self.refresh_button)
        ll.addLayout(head)
        ll.addWidget(self.table, 1)
        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("enfQueueSplit")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([440, 760])
        bottom = QHBoxLayout()
        bottom.addWidget(self.doc_result, 1)
        bottom.addWidget(self.gen_advice)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stats)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.can_reply = allowed(user, Perm.CONSULT_REPLY)
        self.refresh()

    def refresh(self, *, keep: bool = False) -> None:
        closed = self.show_closed.isChecked()
        wanted = self.current_id if keep else None

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            return queries.list_queue(session, include_closed=closed), queries.statistics(session)

        def done(result: tuple) -> None:
            rows, stats = result
            self.model.set_rows(rows)
            waiting = [r for r in rows if r.status is ConsultStatus.SENT]
            overdue = sum(r.clock.overdue for r in waiting)
            warn = f"待回复 {len(waiting)} 件" + (f"，其中已逾期 {overdue} 件！" if overdue else "")
            self.stats.setText(f"{warn}　｜　{stats.text()}")
            self.stats.setStyleSheet(f"color: {'#b3261e' if overdue else '#5f6368'};")
            if wanted is not None and self.model.row_of(wanted) >= 0:
                self.table.selectRow(self.model.row_of(wanted))

        run_in_background(work, parent=self, db=self.db, on_success=done)

    def _row_selected(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open(self.model.rows[row].id)

    def open(self, consultation_id: uuid.UUID) -> None:
        if self.reply.ctx is not None and self.reply.ctx.id != consultation_id and self.reply.timer.isActive():
            self.reply.save_now()
        self.current_id = consultation_id
        can = self.can_reply

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            from baihe_desk.services.enforcement import consultation as svc

            c = svc.load(session, consultation_id)
            html = consultation_html(session, c, today=svc.today_local())
            ctx = load_context(session, consultation_id) if c.status is ConsultStatus.SENT and can else None
            return html, ctx, c.status

        def done(result: tuple) -> None:
            html, ctx, status = result
            self.text.setHtml(html)
            self.reply_scroll.setVisible(ctx is not None)
            if ctx is not None:
                self.reply.load(ctx)
            else:
                self.reply.ctx = None
            self.gen_advice.setVisible(status not in (ConsultStatus.SENT, ConsultStatus.DRAFT))
            self.doc_result.clear()

        run_in_background(work, parent=self, db=self.db, on_success=done)

    def _submitted(self, cid: uuid.UUID) -> None:
        message_box(self, "已提交", "执行建议已提交，咨询法官可以查看。", icon=QMessageBox.Icon.Information)
        self.refresh(keep=True)
        self.open(cid)

    def generate(self) -> None:
        if self.current_id is None:
            return
        from baihe_desk.services.common import documents
        from baihe_desk.services.enforcement import consultation as svc

        cid, user, paths = self.current_id, self.user, self.paths

        def work(session, _ctx):  # type: ignore[no-untyped-def]
            case_id = svc.load(session, cid).case_id
            records = documents.generate(session, user, "enforcement-advice", case_id, ("pdf", "docx"), paths=paths,
                                         options={"consultation_id": cid})
            return [documents.document_path(paths, r) for r in records]

        def done(files: list[Path]) -> None:
            self.generated = files
            self.doc_result.setText("已生成：" + "；".join(str(f) for f in files))

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, progress="正在生成文书…")
