"""判后答疑 page, tab 信访风险: flag the case with reasons and name the 包案领导; change the leader; clear it.

The reasons offered and who may be named are court settings (``explanation.risk_reasons``,
``explanation.risk_leader_roles``; see :mod:`baihe_desk.services.explanation.risk`)."""

from __future__ import annotations

from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.explanation import risk
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.qt import QCheckBox, QComboBox, QGroupBox, QLineEdit
from baihe_desk.ui.common.widgets import button, named, text_label
from baihe_desk.ui.explanation.data import CaseView
from baihe_desk.ui.explanation.host import Panel, PanelHost


class RiskPanel(Panel):
    def __init__(self, page: PanelHost):
        super().__init__(page, "riskPanel")
        self.may_flag = allowed(page.user, Perm.RISK_FLAG)

        self.state = text_label(name="riskState")
        self.reason_box = QGroupBox("风险原因（可多选）")
        self.reason_checks: list[QCheckBox] = []
        self.other_reason = named(QLineEdit(), "riskOtherReason", "其他风险原因")
        self.other_reason.setPlaceholderText("其他原因（可不填）")
        self.reason_layout = vbox(self.other_reason, parent=self.reason_box)
        self.note = named(QLineEdit(), "riskNote", "风险情况说明")
        self.leader = named(QComboBox(), "riskLeader", "包案领导")
        self.flag_button = button("标记信访风险并确定包案领导", "flagRisk", "标记信访风险并确定包案领导", self.flag)
        self.change_button = button("更换包案领导", "changeLeader", "更换包案领导", self.change_leader)
        self.clear_note = named(QLineEdit(), "riskClearNote", "解除理由")
        self.clear_note.setPlaceholderText("解除理由，如：当事人已服判息诉、矛盾已化解")
        self.clear_button = button("解除信访风险", "clearRisk", "解除信访风险", self.clear)
        rows = form(("情况说明(&M)：", self.note),
                    ("包案领导(&B)：", hbox((self.leader, 1), self.flag_button, self.change_button), self.leader),
                    ("解除：", hbox((self.clear_note, 1), self.clear_button), self.clear_note))
        hint = text_label("经排查有重大信访风险隐患的案件，实行领导包案：由一名院领导或庭长负责化解、稳控。"
                          "可选的原因和可包案的领导职务由管理员在设置中调整。", style="color: #5f6368;")
        vbox(self.state, self.reason_box, rows, hint, STRETCH, parent=self)

    def set_view(self, view: CaseView | None) -> None:
        self.view = view
        for box in self.reason_checks:
            self.reason_layout.removeWidget(box)
            box.deleteLater()
        self.reason_checks = []
        options = view.reason_options if view else []
        for i, text in enumerate(options):
            box = named(QCheckBox(text), f"riskReason{i}", text)
            self.reason_layout.insertWidget(i, box)
            self.reason_checks.append(box)
        self.leader.clear()
        for uid, label in (view.leaders if view else []):
            self.leader.addItem(label, uid)
        flag = view.risk if view else None
        if flag is None:
            self.state.setText("本案未标记信访风险。" if view else "")
            self.state.setStyleSheet("")
        else:
            self.state.setText(f"已标记信访风险（{flag.flagged_on}）：{'；'.join(flag.reasons)}。"
                               f"包案领导：{flag.leader_name}。" + (f"说明：{flag.note}" if flag.note else ""))
            self.state.setStyleSheet("color: #8a1c1c; font-weight: bold;")
            for box in self.reason_checks:
                box.setChecked(box.text() in flag.reasons)
        active = flag is not None
        can = self.may_flag and view is not None
        for w in (*self.reason_checks, self.other_reason, self.note, self.flag_button):
            w.setEnabled(can and not active)
        self.leader.setEnabled(can)
        for w in (self.change_button, self.clear_note, self.clear_button):
            w.setEnabled(can and active)

    def _reasons(self) -> list[str]:
        chosen = [b.text() for b in self.reason_checks if b.isChecked()]
        if self.other_reason.text().strip():
            chosen.append(self.other_reason.text().strip())
        return chosen

    def flag(self) -> None:
        if self.view is None:
            return
        case_id, on = self.view.case_id, self.page.today()
        request = self.page.requests.selected_request()
        values = dict(reasons=self._reasons(), leader_id=self.leader.currentData(), note=self.note.text(),
                      request_id=request.id if request else None)
        leader = self.leader.currentText()

        def fn(session, actor):  # type: ignore[no-untyped-def]
            risk.flag_risk(session, actor, case_id, on=on, **values)

        self.page.run_write(fn, f"已标记信访风险，包案领导：{leader}。")

    def _on_flag(self, action, done_text: str) -> None:  # type: ignore[no-untyped-def]
        """Run ``action(session, actor, flag id)`` on the case's flag."""
        if self.view is not None and self.view.risk is not None:
            flag_id = self.view.risk.id
            self.page.run_write(lambda session, actor: action(session, actor, flag_id), done_text)

    def change_leader(self) -> None:
        leader_id, leader = self.leader.currentData(), self.leader.currentText()
        self._on_flag(lambda session, actor, flag_id: risk.change_leader(session, actor, flag_id, leader_id),
                      f"已更换包案领导为{leader}。")

    def clear(self) -> None:
        note, on = self.clear_note.text(), self.page.today()
        self._on_flag(lambda session, actor, flag_id: risk.clear_flag(session, actor, flag_id, note=note, on=on),
                      "已解除信访风险。")
