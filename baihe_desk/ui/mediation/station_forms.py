"""调解工作台的录入表单 — 调解记录, 延长期限（各方当事人同意）, 鉴定评估暂停, 送达地址确认书.

Each form only collects and emits its input; the workbench page runs the service in the background.
"""

from __future__ import annotations

import uuid
from datetime import date

from baihe_desk.models.mediation import SuspensionKind
from baihe_desk.services.filing.service_address import ConfirmationInput
from baihe_desk.services.mediation.station import Consent, SessionInput
from baihe_desk.services.mediation.views import PartyInfo, SuspensionInfo
from baihe_desk.ui.common.forms import text_box
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import form, vbox
from baihe_desk.ui.common.qt import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget, Signal
from baihe_desk.ui.common.widgets import button, combo, named, text_label
from baihe_desk.ui.mediation.forms import date_edit, set_date, to_date


class SessionForm(QWidget):
    """调解记录: date, place, attendees, what was agreed, what is disputed."""

    submitted = Signal(object)  # SessionInput

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sessionForm")
        self.held_on = date_edit("sessionDate", "调解日期")
        self.place = named(QLineEdit(), "sessionPlace", "调解地点")
        self.place.setPlaceholderText("如：诉非联动服务站调解室")
        self.attendees = named(QLineEdit(), "sessionAttendees", "到场人员")
        self.attendees.setPlaceholderText("到场的当事人、代理人、调解员")
        self.agreed = text_box("sessionAgreed", "达成一致的事项", lines=3, placeholder="双方一致认可的事项")
        self.disputed = text_box("sessionDisputed", "争议事项", lines=3, placeholder="仍有争议的事项")
        self.submit = button("添加调解记录", "addSession", "添加调解记录", lambda: self.submitted.emit(self.value()))
        form(("日期(&D)", self.held_on), ("地点", self.place), ("到场人员(&A)", self.attendees),
             ("一致事项", self.agreed), ("争议事项", self.disputed), self.submit, parent=self)

    def value(self) -> SessionInput:
        return SessionInput(to_date(self.held_on), self.attendees.text(), place=self.place.text(),
                            agreed=self.agreed.toPlainText(), disputed=self.disputed.toPlainText())

    def clear(self) -> None:
        for w in (self.place, self.attendees):
            w.clear()
        for b in (self.agreed, self.disputed):
            b.clear()
        set_date(self.held_on, None)


class ExtensionForm(QWidget):
    """延长调解期限: the days, and a tick per party for its recorded consent (all must be ticked)."""

    submitted = Signal(object)  # (days, [Consent], agreed_on, reason)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("extensionForm")
        self.days = named(QSpinBox(), "extensionDays", "延长天数")
        self.days.setRange(1, 365)
        self.days.setValue(15)
        self.days.setSuffix(" 日")
        self.agreed_on = date_edit("extensionDate", "同意延长的日期")
        self.how = named(QComboBox(), "consentHow", "同意方式")
        self.how.addItems(["当面签字", "电话（已录音）", "调解平台确认", "书面申请"])
        self.reason = named(QLineEdit(), "extensionReason", "延长理由")
        self.consents_box = QWidget()
        self.consents_box.setObjectName("consentBoxes")
        self.consents_layout = vbox(margins=0, parent=self.consents_box)
        self.checks: list[tuple[PartyInfo, QCheckBox]] = []
        self.submit = button("延长调解期限", "extendButton", "延长调解期限", self._submit)
        note = text_label("须经各方当事人同意（特邀调解规定第二十七条；在线调解规则第二十四条），请逐一勾选已同意的当事人。")
        form(note, ("延长(&E)", self.days), ("当事人同意", self.consents_box), ("同意日期", self.agreed_on),
             ("同意方式", self.how), ("理由", self.reason), self.submit, parent=self)

    def set_parties(self, parties: tuple[PartyInfo, ...]) -> None:
        for _p, box in self.checks:
            box.setParent(None)
            box.deleteLater()
        self.checks = []
        for i, p in enumerate(parties):
            box = named(QCheckBox(f"{p.role} {p.name} 同意延长"), f"consent{i}", f"{p.role}{p.name}同意延长")
            self.consents_layout.addWidget(box)
            self.checks.append((p, box))

    def _submit(self) -> None:
        on = to_date(self.agreed_on)
        consents = [Consent(p.id, on, self.how.currentText()) for p, box in self.checks if box.isChecked()]
        self.submitted.emit((self.days.value(), consents, on, self.reason.text()))


class SuspensionForm(QWidget):
    """鉴定/评估: start (委托之日) and end (收到意见之日); the days between are not counted."""

    started = Signal(object)  # (kind, start date, institution)
    ended = Signal(object)  # (suspension id, end date)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("suspensionForm")
        self.open: SuspensionInfo | None = None
        self.kind = combo("suspensionKind", "鉴定或评估", [(k.label, k.value) for k in SuspensionKind])
        self.start = date_edit("suspensionStart", "委托鉴定评估日期")
        self.institution = named(QLineEdit(), "suspensionInstitution", "鉴定评估机构")
        self.start_button = button("开始鉴定评估（期限暂停）", "startSuspension", "开始鉴定评估", lambda: self.started.emit(
            (self.kind.currentData(), to_date(self.start), self.institution.text())))
        self.end = date_edit("suspensionEnd", "收到鉴定评估意见日期")
        self.end_button = button("鉴定评估结束（期限继续）", "endSuspension", "鉴定评估结束",
                                 lambda: self.open and self.ended.emit((self.open.id, to_date(self.end))))
        self.state = text_label(name="suspensionState")
        note = text_label("诉前委托鉴定、评估的期间不计入调解期限（在线调解规则第二十六条）；委托之日和收到意见之日均不计入。")
        form(note, ("类别", self.kind), ("委托日期", self.start), ("机构", self.institution), self.start_button,
             ("收到意见日期", self.end), self.end_button, self.state, parent=self)

    def set_suspensions(self, items: tuple[SuspensionInfo, ...]) -> None:
        self.open = next((s for s in items if s.ended_on is None), None)
        self.start_button.setEnabled(self.open is None)
        self.end_button.setEnabled(self.open is not None)
        lines = [f"{s.kind}：{s.started_on} 至 {s.ended_on or '（进行中）'}　{s.institution}" for s in items]
        self.state.setText("\n".join(lines) or "没有鉴定、评估。")


class AddressForm(QWidget):
    """送达地址确认书 signed during mediation (it carries over to the filed case)."""

    submitted = Signal(object)  # (party id, ConfirmationInput)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("addressForm")
        self.party = named(QComboBox(), "addressParty", "当事人")
        self.text = named(QLineEdit(), "addressText", "送达地址")
        self.postcode = digits_field(named(QLineEdit(), "addressPostcode", "邮政编码"))
        self.phone = digits_field(named(QLineEdit(), "addressPhone", "联系电话"), "phone")
        self.signed_on = date_edit("addressSignedOn", "签署日期")
        self.signed = named(QCheckBox("当事人已签名、盖章或捺印"), "addressSigned", "当事人已签名、盖章或捺印")
        self.e_consent = named(QCheckBox("同意电子送达"), "addressEConsent", "同意电子送达")
        self.e_mobile = digits_field(named(QLineEdit(), "addressEMobile", "电子送达手机号码"), "phone")
        self.submit = button("登记送达地址确认书", "addAddress", "登记送达地址确认书", self._submit)
        note = text_label("调解员应指导当事人填写《送达地址确认书》（在线调解规则第十七条）；调解不成立案后继续有效，无需重新填写。")
        form(note, ("当事人", self.party), ("送达地址", self.text), ("邮政编码", self.postcode), ("联系电话", self.phone),
             ("签署日期", self.signed_on), self.signed, self.e_consent, ("电子送达手机", self.e_mobile), self.submit,
             parent=self)

    def set_parties(self, parties: tuple[PartyInfo, ...]) -> None:
        self.party.clear()
        for p in parties:
            self.party.addItem(f"{p.role} {p.name}", str(p.id))

    def _submit(self) -> None:
        if not self.party.currentData():
            return
        party_id = uuid.UUID(self.party.currentData())
        signed_on: date = to_date(self.signed_on)
        data = ConfirmationInput(self.text.text(), signed_on, signed=self.signed.isChecked(),
                                 postcode=self.postcode.text(), phone=self.phone.text(),
                                 e_service_consent=self.e_consent.isChecked(), e_mobile=self.e_mobile.text())
        self.submitted.emit((party_id, data))
