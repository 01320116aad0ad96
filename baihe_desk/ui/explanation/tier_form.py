"""判后答疑 page: the form of one tier (一级答疑记录), usable only by the person assigned to that tier.

Above the form, always: the party's appeal countdown on the day, and the two reminders — answering
does not extend the appeal period; an oral wish to appeal is not an appeal (民诉法解释第三百一十八条).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baihe_desk.models.explanation import DECISION_LABELS, PartyDecision
from baihe_desk.services.explanation import appeal as ex
from baihe_desk.services.explanation import tiers as et
from baihe_desk.ui.common.date_input import time_field, time_text
from baihe_desk.ui.common.forms import date_field, enter_advances, qdate_to_date, text_box, to_qdate
from baihe_desk.ui.common.law_panel import connect_links, install_f1, linked_html
from baihe_desk.ui.common.layout import STRETCH, form, hbox, shortcut, vbox
from baihe_desk.ui.common.qt import QGroupBox, QLineEdit, QPlainTextEdit
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named, text_label
from baihe_desk.ui.explanation.data import RequestView, TierView, person

if TYPE_CHECKING:
    from baihe_desk.ui.explanation.host import PanelHost

COUNTDOWN_STYLE = {"running": "color: #8a1c1c; font-weight: bold;", "expired": "color: #5f6368; font-weight: bold;"}


def _text_edit(name: str, label: str, height: int = 60) -> QPlainTextEdit:
    return text_box(name, label, height=height)


class TierForm(QGroupBox):
    def __init__(self, page: PanelHost):
        super().__init__("本级答疑记录")
        self.page = page
        self.setObjectName("tierForm")
        self.tier: TierView | None = None
        self.request: RequestView | None = None

        self.heading = text_label(name="tierHeading", wrap=False, style="font-weight: bold;")
        self.countdown = text_label(name="appealCountdown")
        self.countdown.setAccessibleName("上诉期提示")
        self.reminder = text_label(linked_html(f"提醒：{ex.REMINDER_NOT_EXTENDED}{ex.REMINDER_ORAL}"), "appealReminder")
        for label in (self.countdown, self.reminder):  # citations open the law panel
            connect_links(label)
        self.reminder.setToolTip(ex.NUMBERING_NOTE)
        self.lock_note = text_label(name="tierLockNote", style="color: #5f6368;")
        self.held_on = date_field("tierHeldOn", "答疑日期")
        self.start_time = time_field("tierStart", "开始时间")
        self.end_time = time_field("tierEnd", "结束时间")
        self.place = named(QLineEdit(), "tierPlace", "答疑地点")
        self.attendees = named(QLineEdit(), "tierAttendees", "到场人员", tip="当事人及其代理人（身份已核实）等")
        self.clerk_name = named(QLineEdit(), "tierClerk", "记录人")
        self.questions = _text_edit("tierQuestions", "当事人提出的问题")
        self.answers = _text_edit("tierAnswers", "答疑内容", 90)
        self.legal_points = _text_edit("tierLegalPoints", "释明的法律依据和要点")
        self.response = _text_edit("tierResponse", "当事人的意见", 48)
        self.decision = combo("tierDecision", "当事人的决定",
                              [("（请选择）", None), *((DECISION_LABELS[d], d.value) for d in PartyDecision)])
        self.save_button = button("保存本级答疑记录 (Ctrl+S)", "saveTier", "保存本级答疑记录", self.save)
        shortcut(self, "Ctrl+S", self.save, local=False)
        install_f1(self, lambda: [self.legal_points.toPlainText(), self.countdown.text(), self.reminder.text()])
        enter_advances(self.start_time, self.end_time, self.place, self.attendees, self.clerk_name)
        times = hbox(self.held_on, buddy_label("自", self.start_time), self.start_time, buddy_label("至", self.end_time),
                     self.end_time, STRETCH)
        rows = form(("答疑日期(&H)：", times, self.held_on), ("地点：", self.place), ("到场人员：", self.attendees),
                    ("记录人：", self.clerk_name), ("问题(&W)：", self.questions), ("答疑内容(&Y)：", self.answers),
                    ("法律依据和要点：", self.legal_points), ("当事人的意见：", self.response),
                    ("当事人的决定(&E)：", self.decision))
        vbox(self.heading, self.countdown, self.reminder, self.lock_note, rows, self.save_button, STRETCH, parent=self)
        self.fields = (self.held_on, self.start_time, self.end_time, self.place, self.attendees, self.clerk_name,
                       self.questions, self.answers, self.legal_points, self.response, self.decision, self.save_button)
        self.set_tier(None, None)

    def set_tier(self, request: RequestView | None, tier: TierView | None) -> None:
        """Show ``tier`` of ``request``: editable only while unrecorded and only for its assignee."""
        self.request, self.tier = request, tier
        if request is None or tier is None:
            self.heading.setText("请在上方选择一项答疑申请。")
            self.countdown.setText("")
            self.lock_note.setText("")
            for w in self.fields:
                w.setEnabled(False)
            return
        live = request.live
        self.heading.setText(f"第{tier.tier_no}级答疑 · 指定答疑人：{person(tier.role, tier.assignee_name)}"
                             f"　申请人：{request.party_role} {request.party_name}")
        shown = tier.appeal_text if tier.recorded else live.text
        when = f"（答疑当日 {tier.held_on}）" if tier.recorded else f"（今天 {self.page.today().isoformat()}）"
        self.countdown.setText(linked_html(f"{request.party_role}{request.party_name}：{shown}{when}"))
        state = tier.appeal_state if tier.recorded else live.state
        self.countdown.setStyleSheet(COUNTDOWN_STYLE.get(state, ""))
        mine = tier.assignee_id == self.page.user.id
        editable = mine and not tier.recorded
        if tier.recorded:
            self.lock_note.setText(f"本级答疑已于 {tier.held_on} 记录（当事人的决定：{tier.decision}），笔录不能修改。")
        elif not mine:
            self.lock_note.setText(f"本级答疑指定由{person(tier.role, tier.assignee_name)}主持，只有其本人登录后可以记录。")
        else:
            self.lock_note.setText("请如实记录本级答疑；保存后不能修改。")
        for w in self.fields:
            w.setEnabled(editable)
        rec = tier.record
        self.held_on.setDate(to_qdate(tier.held_on or self.page.today()))
        self.start_time.setText(rec["start_time"])
        self.end_time.setText(rec["end_time"])
        default_place = self.page.view.default_place if self.page.view else ""
        self.place.setText(rec["place"] or (default_place if editable else ""))
        self.attendees.setText(rec["attendees"] or (f"{request.party_role}{request.party_name}" if editable else ""))
        self.clerk_name.setText(rec["clerk_name"])
        self.questions.setPlainText(rec["questions"] or (request.questions if editable else ""))
        self.answers.setPlainText(rec["answers"])
        self.legal_points.setPlainText(rec["legal_points"])
        self.response.setPlainText(rec["party_response"])
        index = self.decision.findText(tier.decision) if tier.decision else 0
        self.decision.setCurrentIndex(max(index, 0))

    def save(self) -> None:
        tier = self.tier
        if tier is None or not self.save_button.isEnabled():
            return
        decision = self.decision.currentData()
        if decision is None:
            self.page.status.setText("请选择当事人的决定。")
            self.decision.setFocus()
            return
        values = dict(held_on=qdate_to_date(self.held_on.date()), start_time=time_text(self.start_time),
                      end_time=time_text(self.end_time), place=self.place.text(), attendees=self.attendees.text(),
                      clerk_name=self.clerk_name.text(), questions=self.questions.toPlainText(),
                      answers=self.answers.toPlainText(), legal_points=self.legal_points.toPlainText(),
                      party_response=self.response.toPlainText(), decision=PartyDecision(decision))
        on, tier_id, expected = self.page.today(), tier.id, tier.version

        def fn(session, actor):  # type: ignore[no-untyped-def]
            et.record_tier(session, actor, tier_id, on=on, expected_version=expected, **values)

        label = DECISION_LABELS[PartyDecision(decision)]
        self.page.run_write(fn, f"已保存第{tier.tier_no}级答疑记录（当事人的决定：{label}）。")
