"""判后答疑 page, tab 裁判与上诉期: the judgment or ruling, its service date per party and every party's
appeal countdown (民事诉讼法第一百七十一条; each from its own service, 民诉法解释第二百四十四条)."""

from __future__ import annotations

from typing import Any

from baihe_desk.models.explanation import RULING_LABELS, DecisionKind, RulingType
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.ui.common.forms import date_field, qdate_to_date, text_box, to_qdate
from baihe_desk.ui.common.law_panel import connect_links, install_f1, linked_html
from baihe_desk.ui.common.layout import form, group, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import QComboBox, QLineEdit, Qt
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named, text_label
from baihe_desk.ui.explanation.data import CaseView
from baihe_desk.ui.explanation.host import Panel, PanelHost

STATE_LABELS = {"running": "上诉期内", "expired": "上诉期已届满", "not_appealable": "不准上诉", "not_served": "尚未送达"}


class CountdownModel(RowsModel):
    """当事人 | 诉讼地位 | 送达日期 | 上诉期届满日 | 剩余天数 | 状态 (tooltip: how the date was computed)."""

    HEADERS = ("当事人", "诉讼地位", "送达日期", "上诉期届满日", "剩余天数", "状态")
    TEXT_ROLES = (Qt.ItemDataRole.DisplayRole,)

    def cells(self, st: ex.AppealStatus) -> tuple[str, ...]:
        days = ""
        if st.state == "running":
            days = "今日届满" if st.days_left == 0 else f"{st.days_left} 日"
        notes = [STATE_LABELS.get(st.state, st.state), st.period_note]
        if any("按放假办法推算" in w for w in st.warnings):  # the tooltip has the whole warning
            notes.append("节假日按放假办法推算，待国务院通知")
        return (st.party_name, st.party_role, st.served_on.isoformat() if st.served_on else "未登记",
                st.due.isoformat() if st.due else "—", days, " · ".join(n for n in notes if n))

    def role_data(self, st: ex.AppealStatus, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([*st.steps, *st.warnings, *st.basis, *st.reminders]) or st.text
        return None


class JudgmentPanel(Panel):
    def __init__(self, page: PanelHost):
        super().__init__(page, "judgmentPanel")
        may_record = allowed(page.user, Perm.JUDGMENT_RECORD)

        self.kind = combo("judgmentKind", "裁判文书种类", [(k.document_title, k.value) for k in DecisionKind])
        self.ruling_type = combo("rulingType", "裁定种类", [(RULING_LABELS[r], r.value) for r in RulingType],
                                 tip="民事诉讼法第一百五十七条：只有不予受理、管辖权异议、驳回起诉的裁定可以上诉")
        self.pronounced = date_field("pronouncedOn", "宣判日期")
        self.document_number = named(QLineEdit(), "documentNumber", "文书字号", tip="留空则使用本案案号")
        self.summary = text_box("judgmentSummary", "裁判主文摘要", max_height=60)
        self.save_button = button("保存裁判信息", "saveJudgment", "保存裁判信息", self.save_judgment)
        self.rule = text_label(name="appealabilityText")
        connect_links(self.rule, day=self._decided_on)  # the appeal rule's articles, as in force when decided
        self.kind.currentIndexChanged.connect(self._kind_changed)
        box = group("裁判文书", form(("文书种类(&K)：", self.kind), ("裁定种类：", self.ruling_type),
                                     ("宣判日期(&P)：", self.pronounced), ("文书字号：", self.document_number),
                                     ("裁判主文摘要：", self.summary)), hbox(self.save_button, (self.rule, 1)))

        self.model = CountdownModel(self)
        self.table = rows_table(self.model, "appealCountdowns", "各方当事人上诉期", single=False)
        self.table.setMinimumHeight(110)
        self.service_party = named(QComboBox(), "serviceParty", "送达的当事人")
        self.served_on = date_field("servedOn", "送达日期")
        self.service_source = named(QLineEdit(), "serviceSource", "送达依据", tip="如：送达回证、邮寄回执、电子送达记录")
        self.service_button = button("登记送达日期", "saveService", "登记送达日期", self.save_service)
        self.from_log_button = button("从送达记录带入", "serviceFromLog", "从送达记录带入送达日期", self.fill_from_log)
        self.service_party.currentIndexChanged.connect(lambda _i: self._party_changed())
        srow = hbox(buddy_label("当事人(&A)：", self.service_party), (self.service_party, 1),
                    buddy_label("送达日期(&S)：", self.served_on), self.served_on, (self.service_source, 1),
                    self.service_button, self.from_log_button)
        note = text_label(linked_html("上诉期自各方当事人各自收到裁判文书之日起计算（民诉法解释第二百四十四条），送达当日不计入，"
                                      "届满日遇法定休假日顺延（民事诉讼法第八十五条）。" + ex.REMINDER_NOT_EXTENDED))
        connect_links(note)
        install_f1(self, lambda: [*self._f1_countdown(), self.rule.text()], day=self._decided_on)  # F1: its article
        vbox(box, (group("送达与上诉期", self.table, srow, note), 1), parent=self)
        for w in (self.kind, self.ruling_type, self.pronounced, self.document_number, self.summary, self.save_button,
                  self.service_party, self.served_on, self.service_source, self.service_button, self.from_log_button):
            w.setEnabled(may_record)
        self.may_record = may_record

    def _decided_on(self):  # type: ignore[no-untyped-def]
        j = self.view.judgment if getattr(self, "view", None) is not None else None
        return j.pronounced_on if j is not None else None

    def _f1_countdown(self) -> list[str]:
        row = self.table.currentIndex().row()
        st = self.model.row(row) if 0 <= row < self.model.rowCount() else None
        return [*st.basis, *st.steps] if st is not None else []

    def _kind_changed(self) -> None:
        ruling = self.kind.currentData() == DecisionKind.RULING.value
        self.ruling_type.setEnabled(self.may_record and ruling)
        if not ruling:
            self.ruling_type.setCurrentIndex(-1)  # a judgment has no 裁定种类; a ruling must choose one

    def set_view(self, view: CaseView | None) -> None:
        self.view = view
        today = self.page.today()
        self.pronounced.setDate(to_qdate(today))
        self.served_on.setDate(to_qdate(today))
        self.setEnabled(view is not None)
        if view is None:
            self.model.set_rows([])
            return
        j = view.judgment
        if j is not None:
            self.kind.setCurrentIndex(self.kind.findData(j.kind.value))
            if j.ruling_type is not None:
                self.ruling_type.setCurrentIndex(self.ruling_type.findData(j.ruling_type.value))
            self.pronounced.setDate(to_qdate(j.pronounced_on))
            self.document_number.setText(j.document_number)
            self.summary.setPlainText(j.summary)
        self.rule.setText(linked_html(j.rule_text) if j else "尚未登记本案的判决或裁定。")
        self._kind_changed()
        current = self.service_party.currentData()
        self.service_party.clear()
        for pid, name, role in view.parties:
            self.service_party.addItem(f"{role} {name}", pid)
        if current is not None and self.service_party.findData(current) >= 0:
            self.service_party.setCurrentIndex(self.service_party.findData(current))
        self.model.set_rows(view.statuses)
        self.from_log_button.setEnabled(self.may_record and bool(view.log_dates))
        self._party_changed()

    def _party_changed(self) -> None:
        view, pid = getattr(self, "view", None), self.service_party.currentData()
        if view is None or pid is None:
            return
        st = next((s for s in view.statuses if s.party_id == pid), None)
        if st is not None and st.served_on is not None:
            self.served_on.setDate(to_qdate(st.served_on))

    def fill_from_log(self) -> None:
        view, pid = self.view, self.service_party.currentData()
        if view is None or pid not in view.log_dates:
            self.page.status.setText("送达记录中没有该当事人收到本裁判文书的记录。")
            return
        on, why = view.log_dates[pid]
        self.served_on.setDate(to_qdate(on))
        self.service_source.setText("送达记录")
        self.page.status.setText(f"已从送达记录带入：{why} 请核对后点「登记送达日期」。")

    def save_judgment(self) -> None:
        if self.view is None:
            return
        case_id, on = self.view.case_id, self.page.today()
        kind = DecisionKind(self.kind.currentData())
        data = self.ruling_type.currentData()
        ruling = RulingType(data) if kind is DecisionKind.RULING and data else None
        pronounced, number, summary = qdate_to_date(self.pronounced.date()), self.document_number.text(), \
            self.summary.toPlainText()

        def fn(session, actor):  # type: ignore[no-untyped-def]
            ex.record_judgment(session, actor, case_id, kind=kind, ruling_type=ruling, pronounced_on=pronounced,
                               document_number=number, summary=summary, on=on)

        self.page.run_write(fn, f"已保存裁判信息（{kind.document_title}，宣判日期 {pronounced.isoformat()}）。")

    def save_service(self) -> None:
        if self.view is None or self.service_party.currentData() is None:
            return
        case_id, on, pid = self.view.case_id, self.page.today(), self.service_party.currentData()
        served, source, label = qdate_to_date(self.served_on.date()), self.service_source.text(), \
            self.service_party.currentText()

        def fn(session, actor):  # type: ignore[no-untyped-def]
            ex.set_service(session, actor, case_id, pid, served, source=source, on=on)

        self.page.run_write(fn, f"已登记{label}的送达日期 {served.isoformat()}。")
