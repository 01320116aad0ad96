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
from baihe_desk.services.enforcement import consultation as svc
from baihe_desk.services.enforcement import queries
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.law_panel import connect_links
from baihe_desk.ui.common.layout import hbox, pane, scroll_area, splitter, vbox
from baihe_desk.ui.common.list_detail import ListDetailPage
from baihe_desk.ui.common.qt import QCheckBox, QLabel, QMessageBox, QTextBrowser, QWidget
from baihe_desk.ui.common.widgets import button, message_box, named, text_label
from baihe_desk.ui.enforcement.consultation_list import STATS_STYLE, ConsultListModel
from baihe_desk.ui.enforcement.html import consultation_html
from baihe_desk.ui.enforcement.reply import ReplyEditor, load_context
from baihe_desk.ui.enforcement.viewer import generate_files


class EnforcementQueuePage(ListDetailPage):
    """执行咨询收件（执行局）. Constructor ``(db, paths, user, parent=None)``."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "enforcementQueuePage", ConsultListModel, ("enfQueue", "执行咨询收件列表"), parent,
                         wrap=False)
        self.current_id: uuid.UUID | None = None
        self.generated: list[Path] = []

        self.show_closed = named(QCheckBox("显示已记录采纳情况的"), "enfShowClosed", "显示已记录采纳情况的咨询")
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = button("刷新", "enfQueueRefresh", "刷新收件列表", lambda: self.refresh(keep=True), tip="F5")
        self.refresh_button.setShortcut("F5")
        self.stats = text_label(name="enfQueueStats", style=STATS_STYLE)
        self.text = named(QTextBrowser(), "enfQueueText", "执行咨询函内容")
        self.text.setOpenLinks(False)
        connect_links(self.text)  # 依据 of the enforceability findings open the law panel
        self.reply = ReplyEditor(db, user, self)
        self.reply.submitted.connect(self._submitted)
        self.reply_scroll = scroll_area(self.reply, "enfReplyScroll", frame=False, accessible="执行建议编辑区")
        self.reply.layout().removeWidget(self.reply.actions)  # 保存草稿 / 提交执行建议 below the scrolled form,
        self.reply_pane = pane((self.reply_scroll, 1), self.reply.actions)  # not after its last answer box
        self.reply_pane.setVisible(False)
        self.gen_advice = button("生成执行建议", "enfQueueGenAdvice", "生成执行建议（PDF和Word）", self.generate)
        self.gen_advice.setVisible(False)
        self.doc_result = text_label(name="enfQueueDocResult")

        right = splitter("enfQueueRight", self.text, self.reply_pane, stretch=(2, 3), vertical=True)
        left = pane(hbox((QLabel("收到的执行咨询函："), 1), self.show_closed, self.refresh_button), (self.table, 1))
        split = splitter("enfQueueSplit", left, right, stretch=(2, 3), sizes=(580, 620))  # 案号 in sight at 1180
        vbox(self.stats, (split, 1), hbox((self.doc_result, 1), self.gen_advice), parent=self)
        self.can_reply = allowed(user, Perm.CONSULT_REPLY)
        self.refresh()

    def refresh(self, *, keep: bool = False) -> None:  # type: ignore[override]
        closed = self.show_closed.isChecked()
        self.list_rows(lambda s: (queries.list_queue(s, include_closed=closed), queries.statistics(s)),
                       keep=self.current_id if keep else None, then=self.listed)

    def live_query(self):  # type: ignore[no-untyped-def]
        closed = self.show_closed.isChecked()
        return lambda s: (queries.list_queue(s, include_closed=closed), queries.statistics(s))

    def live_key(self):  # type: ignore[no-untyped-def]
        return self.current_id

    def listed(self, result: tuple) -> None:
        rows, stats = result
        waiting = [r for r in rows if r.status is ConsultStatus.SENT]
        overdue = sum(r.clock.overdue for r in waiting)
        warn = f"待回复 {len(waiting)} 件" + (f"，其中已逾期 {overdue} 件！" if overdue else "")
        self.stats.setText(f"{warn}　｜　{stats.text()}")
        self.stats.setStyleSheet(f"color: {'#b3261e' if overdue else '#5f6368'};")

    def load(self, consultation_id: uuid.UUID) -> None:
        if self.reply.ctx is not None and self.reply.ctx.id != consultation_id and self.reply.timer.isActive():
            self.reply.save_now()
        self.current_id = consultation_id
        super().load(consultation_id)

    open = load

    def detail_query(self, consultation_id: uuid.UUID):  # type: ignore[no-untyped-def]
        can = self.can_reply

        def query(session):  # type: ignore[no-untyped-def]
            c = svc.load(session, consultation_id)
            html = consultation_html(session, c, today=svc.today_local())
            ctx = load_context(session, consultation_id) if c.status is ConsultStatus.SENT and can else None
            return html, ctx, c.status

        return query

    def show_detail(self, result: tuple) -> None:
        html, ctx, status = result
        self.text.setHtml(html)
        self.reply_pane.setVisible(ctx is not None)
        if ctx is not None:
            self.reply.load(ctx)
        else:
            self.reply.ctx = None
        self.gen_advice.setVisible(status not in (ConsultStatus.SENT, ConsultStatus.DRAFT))
        self.doc_result.clear()

    def _submitted(self, cid: uuid.UUID) -> None:
        message_box(self, "已提交", "执行建议已提交，咨询法官可以查看。", icon=QMessageBox.Icon.Information)
        self.refresh(keep=True)
        self.open(cid)

    def generate(self) -> None:
        if self.current_id is not None:
            generate_files(self, "enforcement-advice", self.current_id, self.doc_result)
