"""判后答疑 page, tab 答疑申请与记录: the requests of the case, registering a new one, the tiers of the
selected request (with their 笔录), the tier form, and the escalation to the next tier."""

from __future__ import annotations

import uuid

from baihe_desk.models.explanation import Channel, RequestStatus
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.explanation import tiers as et
from baihe_desk.ui.common.forms import date_field, qdate_to_date, text_box, to_qdate
from baihe_desk.ui.common.layout import STRETCH, form, hbox, pane, scroll_area, splitter, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLineEdit, Qt
from baihe_desk.ui.common.widgets import buddy_label, button, combo, message_box, named
from baihe_desk.ui.explanation.data import CaseView, RequestView, TierView, person
from baihe_desk.ui.explanation.host import Panel, PanelHost
from baihe_desk.ui.explanation.tier_form import TierForm

REQUEST_HEADERS = ("申请人", "申请方式", "申请日期", "当前级别", "状态", "今日上诉期")
TIER_HEADERS = ("级别", "答疑人", "答疑日期", "当日上诉期", "当事人的决定", "笔录")


class RequestsPanel(Panel):
    def __init__(self, page: PanelHost):
        super().__init__(page, "requestsPanel")
        user = page.user

        # -- new request -------------------------------------------------------------------------
        self.party = named(QComboBox(), "requestParty", "申请答疑的当事人")
        self.requester = named(QLineEdit(), "requesterName", "申请人姓名", tip="留空即当事人本人")
        self.capacity = named(QComboBox(), "requesterCapacity", "申请人身份")
        self.capacity.addItems(list(et.CAPACITIES))
        self.channel = combo("requestChannel", "申请方式", [(c.label, c.value) for c in Channel])
        self.received = date_field("requestReceived", "申请日期")
        self.categories = [named(QCheckBox(c), f"category{i}", c) for i, c in enumerate(et.CATEGORIES)]
        self.questions = text_box("requestQuestions", "当事人提出的问题", max_height=56)
        self.register_button = button("登记答疑申请", "registerRequest", "登记答疑申请", self.register)
        cats = QGridLayout()
        for i, box in enumerate(self.categories):  # three a row: the tier form beside keeps its room at 150 %
            cats.addWidget(box, i // 3, i % 3)
        new_box = QGroupBox("登记答疑申请（开启第一级答疑，由承办法官主持）")
        inner = vbox(form(("申请人(&P)：", hbox(self.party, self.requester, self.capacity), self.party),
                          ("申请方式和日期：", hbox(self.channel, self.received, STRETCH), self.channel),
                          ("答疑事项：", cats), ("问题(&U)：", self.questions)), parent=new_box)
        inner.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignRight)
        self.may_register = allowed(user, Perm.EXPLANATION_REQUEST)
        for w in (self.party, self.requester, self.capacity, self.channel, self.received, self.questions,
                  self.register_button, *self.categories):
            w.setEnabled(self.may_register)

        # -- requests and tiers --------------------------------------------------------------------
        self.request_table = text_table("requestsTable", "答疑申请列表", REQUEST_HEADERS, single=True)
        self.request_table.setMaximumHeight(130)
        self.request_table.itemSelectionChanged.connect(self._request_selected)
        self.tier_table = text_table("tiersTable", "各级答疑", TIER_HEADERS, single=True)
        self.tier_table.setMaximumHeight(120)
        self.tier_table.itemSelectionChanged.connect(self._update_buttons)
        self.escalate_button = button("提请上一级答疑", "escalateTier", "提请上一级答疑", self.escalate)
        self.close_button = button("当事人不再申请，结束答疑", "closeRequest", "结束答疑", self.close_request)
        self.generate_button = button("生成笔录", "generateRecord", "生成所选一级的判后答疑笔录", self.generate)
        self.preview_button = button("预览笔录", "previewRecord", "预览所选一级的判后答疑笔录", self.preview)
        self.tier_form = TierForm(page)

        left = pane(buddy_label("答疑申请(&L)：", self.request_table), self.request_table,
                    buddy_label("各级答疑(&G)：", self.tier_table), self.tier_table,
                    hbox(self.escalate_button, self.close_button, STRETCH),
                    hbox(self.generate_button, self.preview_button, STRETCH), new_box, STRETCH)
        right = scroll_area(self.tier_form, "tierFormScroll", accessible="答疑记录表")
        right.setMinimumWidth(self.fontMetrics().horizontalAdvance("答疑内容") * 5)  # the judge's form stays readable
        split = splitter("requestsSplitter", left, right, sizes=(620, 640))
        split.setChildrenCollapsible(False)
        vbox(split, margins=4, parent=self)
        self._update_buttons()

    # -- showing --------------------------------------------------------------------------------
    def set_view(self, view: CaseView | None, *, select_request: uuid.UUID | None = None) -> None:
        previous = self.selected_request()
        keep = select_request or (previous.id if previous else None)
        self.view = view
        self.received.setDate(to_qdate(self.page.today()))
        self.party.clear()
        rows = []
        if view is not None:
            for pid, name, role in view.parties:
                self.party.addItem(f"{role} {name}", pid)
            for r in view.requests:
                rows.append((f"{r.party_role} {r.party_name}" + (f"（{r.capacity} {r.requester}）"
                                                                  if r.requester != r.party_name else ""),
                             r.channel, r.received_on.isoformat(), f"第{r.current_tier}级", r.status_text, r.live.text))
        self.register_button.setEnabled(self.may_register and view is not None and view.judgment is not None)
        self.request_table.blockSignals(True)
        fill_table(self.request_table, rows)
        self.request_table.blockSignals(False)
        index = next((i for i, r in enumerate(view.requests) if r.id == keep), None) if view else None
        if index is None and view is not None and view.requests:
            index = len(view.requests) - 1
        if index is not None:
            self.request_table.selectRow(index)
        self._request_selected()

    def selected_request(self) -> RequestView | None:
        rows = self.request_table.selectionModel().selectedRows() if self.view else []
        return self.view.requests[rows[0].row()] if rows and self.view else None

    def selected_tier(self) -> TierView | None:
        req = self.selected_request()
        rows = self.tier_table.selectionModel().selectedRows()
        return req.tiers[rows[0].row()] if req and rows and rows[0].row() < len(req.tiers) else None

    def _request_selected(self) -> None:
        req = self.selected_request()
        tiers = req.tiers if req else []
        self.tier_table.blockSignals(True)
        fill_table(self.tier_table, [(f"第{t.tier_no}级", person(t.role, t.assignee_name),
                                 t.held_on.isoformat() if t.held_on else "待答疑", t.appeal_text or "—",
                                 t.decision or "—", f"第 {t.document_version} 版" if t.document_version else "未生成")
                                for t in tiers])
        self.tier_table.blockSignals(False)
        if tiers:
            self.tier_table.selectRow(len(tiers) - 1)
        current = next((t for t in tiers if req and t.tier_no == req.current_tier), None)
        self.tier_form.set_tier(req, current)
        self._update_buttons()

    def _update_buttons(self) -> None:
        req, tier = self.selected_request(), self.selected_tier()
        waiting = req is not None and req.status is RequestStatus.AWAITING_ESCALATION
        self.escalate_button.setEnabled(waiting and not req.next_problem)
        if waiting:
            self.escalate_button.setText(f"提请{req.next_assignee}答疑" if req.next_assignee else "提请上一级答疑")
            self.escalate_button.setToolTip(req.next_problem or "当事人仍有异议：由上一级逐级答疑，不能越级")
        else:
            self.escalate_button.setText("提请上一级答疑")
        self.close_button.setEnabled(waiting)
        self.generate_button.setEnabled(tier is not None and tier.recorded and allowed(self.page.user, Perm.DOCUMENT_GENERATE))
        self.preview_button.setEnabled(tier is not None and tier.pdf_path is not None)

    # -- actions -------------------------------------------------------------------------------
    def register(self) -> None:
        if self.view is None or self.party.currentData() is None:
            return
        case_id, on = self.view.case_id, self.page.today()
        values = dict(party_id=self.party.currentData(), channel=Channel(self.channel.currentData()),
                      questions=self.questions.toPlainText(), received_on=qdate_to_date(self.received.date()),
                      requester_name=self.requester.text(), requester_capacity=self.capacity.currentText(),
                      categories=[b.text() for b in self.categories if b.isChecked()])

        def fn(session, actor):  # type: ignore[no-untyped-def]
            return et.open_request(session, actor, case_id, on=on, **values).id

        def after(request_id: uuid.UUID) -> None:
            self.questions.clear()
            self.requester.clear()
            for b in self.categories:
                b.setChecked(False)
            self.page.reload(select_request=request_id)

        self.page.run_write(fn, "已登记答疑申请，第一级答疑已指定由承办法官主持。", after=after)

    def _on_request(self, action, done_text: str, **options) -> None:  # type: ignore[no-untyped-def]
        """Run ``action(session, actor, request id, today)`` on the selected request."""
        req = self.selected_request()
        if req is not None:
            request_id, on = req.id, self.page.today()
            self.page.run_write(lambda session, actor: action(session, actor, request_id, on), done_text, **options)

    def escalate(self) -> None:
        def fn(session, actor, request_id, on):  # type: ignore[no-untyped-def]
            t = et.escalate(session, actor, request_id, on=on)
            return f"已提请第{t.tier_no}级答疑，指定由{t.assignee_role}{t.assignee_name}主持。"

        self._on_request(fn, "已提请上一级答疑。", after=lambda text: self.page.status.setText(text))

    def close_request(self) -> None:
        self._on_request(lambda session, actor, request_id, on: et.close_request(session, actor, request_id, on=on),
                         "答疑已结束（当事人仍有异议，未申请上一级答疑）。")

    def generate(self) -> None:
        tier = self.selected_tier()
        if tier is None:
            return
        tier_id, paths = tier.id, self.page.paths

        def fn(session, actor):  # type: ignore[no-untyped-def]
            return et.generate_record(session, actor, tier_id, paths=paths)[0].version

        self.page.run_write(fn, f"已生成第{tier.tier_no}级判后答疑笔录（PDF 和 Word）。",
                            progress="正在生成判后答疑笔录…")

    def preview(self):  # type: ignore[no-untyped-def]
        from baihe_desk.ui.cases.documents_panel import open_pdf_preview

        tier = self.selected_tier()
        if tier is None or tier.pdf_path is None:
            return None
        if not tier.pdf_path.exists():
            message_box(self, "文件缺失", f"找不到文件：{tier.pdf_path}\n可以重新生成一份。")
            return None
        return open_pdf_preview(self, tier.pdf_path, f"判后答疑笔录（第{tier.tier_no}级）第 {tier.document_version} 版",
                                show=self.page.exec_dialog, on_error=self.page.show_error)
