"""送达地址 dialogs: add an address (with its source on the ladder), record a verification, record a
signed 送达地址确认书 (with e-service consent and channels), log a service attempt.

Each dialog is non-blocking (``open()``); OK hands the values to ``on_submit(values, done)``, which
saves in the background and calls ``done(error_text)`` — the dialog closes on success and shows
the service's message (which names the field) when the input is refused, keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from baihe_desk.models import PartyKind, Procedure
from baihe_desk.models.service_address import (
    AddressSource,
    ServedDocument,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.forms import ERROR_COLOR, OptionalDateEdit, enter_advances
from baihe_desk.ui.common.inputs import digits_field
from baihe_desk.ui.common.layout import dialog_buttons, vbox
from baihe_desk.ui.common.qt import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import combo, named, text_label

ALLOWED_RESULTS = {
    ServiceMethod.DIRECT: [ServiceResult.SIGNED, ServiceResult.REFUSED, ServiceResult.NO_SUCH_PERSON,
                           ServiceResult.ADDRESS_UNCLEAR],
    ServiceMethod.LEFT: [ServiceResult.LEFT_AT_RESIDENCE],
    ServiceMethod.ELECTRONIC: [ServiceResult.SENT],
    ServiceMethod.POST: [ServiceResult.SIGNED, ServiceResult.REFUSED, ServiceResult.NO_SUCH_PERSON,
                         ServiceResult.ADDRESS_UNCLEAR, ServiceResult.RETURNED],
    ServiceMethod.ENTRUSTED: [ServiceResult.SIGNED, ServiceResult.REFUSED, ServiceResult.NO_SUCH_PERSON,
                              ServiceResult.ADDRESS_UNCLEAR, ServiceResult.RETURNED],
    ServiceMethod.PUBLIC_NOTICE: [ServiceResult.PUBLISHED],
}
E_CHANNELS = [("mobile", "手机号码（短信）"), ("email", "电子邮箱"), ("wechat", "微信")]


def _date_edit(obj: str, label: str, value: date | None = None) -> OptionalDateEdit:
    edit = named(OptionalDateEdit(maximum=desk_today()), obj, label)
    edit.set_value(value)
    return edit




class FormDialog(QDialog):
    """A form with an error line and OK/Cancel; OK goes to ``on_submit(values, done)``."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.on_submit: Callable[[dict[str, Any], Callable[[str], None]], None] | None = None
        self.form = QFormLayout()
        self.error = text_label(name="dialogError", style=f"color: {ERROR_COLOR};")
        self.buttons, self.ok, _cancel = dialog_buttons(self, ("保存", "dialogSave", "保存"), ("取消", "dialogCancel", "取消"),
                                                        on_accept=self.submit)
        vbox(self.form, self.error, self.buttons, parent=self)

    def add(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        if isinstance(widget, (QLineEdit, QComboBox)):
            enter_advances(widget)
        return widget

    def values(self) -> dict[str, Any]:  # pragma: no cover - overridden
        return {}

    def submit(self) -> None:
        if self.on_submit is None:
            self.accept()
            return
        self.ok.setEnabled(False)
        self.error.clear()
        self.on_submit(self.values(), self._done)

    def _done(self, error: str) -> None:
        self.ok.setEnabled(True)
        if error:
            self.error.setText(error)
        else:
            self.accept()


class AddressDialog(FormDialog):
    def __init__(self, party_label: str, kind: PartyKind, parent: QWidget | None = None):
        super().__init__(f"添加送达地址 — {party_label}", "addressDialog", parent)
        skip = {AddressSource.CONFIRMATION} | ({AddressSource.BUSINESS_REGISTRATION} if kind is PartyKind.NATURAL
                                               else {AddressSource.HOUSEHOLD, AddressSource.HABITUAL_RESIDENCE})
        self.source = self.add("地址来源：", combo("addressSource", "地址来源",
                                                   [(s.label, s) for s in AddressSource if s not in skip]))
        self.text = self.add("详细地址：", named(QLineEdit(), "addressText", "详细地址"))
        self.postcode = self.add("邮政编码：", named(QLineEdit(), "addressPostcode", "邮政编码"))
        self.phone = self.add("联系电话：", named(QLineEdit(), "addressPhone", "联系电话"))
        self.detail = self.add("来源说明：", named(QLineEdit(), "addressSourceDetail", "来源说明"))
        self.detail.setPlaceholderText("如：借款合同第十条；（2025）吉7502民初88号")
        self.source_date = self.add("来源日期：", _date_edit("addressSourceDate", "来源日期"))
        self.source_date.setToolTip("一年内其他诉讼、仲裁或民事活动的日期")
        self.refusal = self.add("", named(QCheckBox("当事人拒绝提供送达地址，已告知不利后果并记入笔录"),
                                          "addressRefusal", "拒绝提供送达地址已记录"))
        self.note = self.add("备注：", named(QLineEdit(), "addressNote", "备注"))

    def values(self) -> dict[str, Any]:
        return dict(source=self.source.currentData(), text=self.text.text(), postcode=self.postcode.text().strip(),
                    phone=self.phone.text().strip(), source_detail=self.detail.text(),
                    source_date=self.source_date.value(), refusal_recorded=self.refusal.isChecked(),
                    note=self.note.text())


class VerifyDialog(FormDialog):
    def __init__(self, address_label: str, kind: PartyKind, parent: QWidget | None = None):
        super().__init__("登记地址核实结果", "verifyDialog", parent)
        self.form.addRow(QLabel(address_label))
        skip = {VerificationMethod.ENTERPRISE_QUERY} if kind is PartyKind.NATURAL else {VerificationMethod.HOUSEHOLD_QUERY}
        self.method = self.add("核实方式：", combo("verifyMethod", "核实方式",
                                                   [(m.label, m) for m in VerificationMethod if m not in skip]))
        self.result = self.add("核实结果：", combo("verifyResult", "核实结果", [(r.label, r) for r in VerificationResult]))
        self.on = self.add("核实日期：", _date_edit("verifyDate", "核实日期", desk_today()))
        self.verifier = self.add("核实人：", named(QLineEdit(), "verifierName", "核实人"))
        self.verifier.setPlaceholderText("本院以外的核实人（如网格员）；本院人员可不填")
        self.note = self.add("情况说明：", named(QLineEdit(), "verifyNote", "情况说明"))

    def values(self) -> dict[str, Any]:
        return dict(method=self.method.currentData(), result=self.result.currentData(), verified_on=self.on.value(),
                    verifier_name=self.verifier.text(), note=self.note.text())


class ConfirmationDialog(FormDialog):
    def __init__(self, party_label: str, prefill: dict[str, str], parent: QWidget | None = None):
        super().__init__(f"登记送达地址确认书 — {party_label}", "confirmationDialog", parent)
        self.signed = self.add("", named(QCheckBox("受送达人（或其诉讼代理人）已签名、盖章或捺印"), "confirmSigned",
                                         "已签名确认"))
        self.signed.setChecked(True)
        self.text = self.add("送达地址：", named(QLineEdit(prefill.get("text", "")), "confirmText", "送达地址"))
        self.postcode = self.add("邮政编码：", digits_field(named(QLineEdit(prefill.get("postcode", "")), "confirmPostcode", "邮政编码")))
        self.phone = self.add("联系电话：", digits_field(named(QLineEdit(prefill.get("phone", "")), "confirmPhone", "联系电话"), "phone"))
        self.on = self.add("签署日期：", _date_edit("confirmDate", "签署日期", desk_today()))
        self.by = self.add("签署人：", named(QLineEdit(), "confirmBy", "签署人"))
        self.by.setPlaceholderText("本人签署可不填；诉讼代理人签署的写其姓名")
        self.r_name = self.add("指定代收人：", named(QLineEdit(), "recipientName", "指定代收人"))
        self.r_relation = self.add("与受送达人关系：", named(QLineEdit(), "recipientRelation", "与受送达人关系"))
        self.r_id = self.add("代收人证件号码：", named(QLineEdit(), "recipientId", "代收人证件号码"))
        self.r_phone = self.add("代收人电话：", named(QLineEdit(), "recipientPhone", "代收人电话"))
        self.consent = self.add("", named(QCheckBox("同意电子送达（受送达人在确认书上勾选）"), "eConsent",
                                          "同意电子送达"))
        self.e_mobile = self.add("手机号码（短信）：", named(QLineEdit(), "eMobile", "电子送达手机号码"))
        self.e_email = self.add("电子邮箱：", named(QLineEdit(), "eEmail", "电子送达电子邮箱"))
        self.e_wechat = self.add("微信号：", named(QLineEdit(), "eWechat", "电子送达微信号"))
        self.note = self.add("备注：", named(QLineEdit(), "confirmNote", "备注"))
        self.consent.toggled.connect(self._consent_changed)
        self._consent_changed(False)

    def _consent_changed(self, on: bool) -> None:
        for w in (self.e_mobile, self.e_email, self.e_wechat):
            w.setEnabled(on)

    def values(self) -> dict[str, Any]:
        consent = self.consent.isChecked()
        return dict(text=self.text.text(), confirmed_on=self.on.value(), signed=self.signed.isChecked(),
                    confirmed_by_name=self.by.text(), postcode=self.postcode.text().strip(),
                    phone=self.phone.text().strip(), recipient_name=self.r_name.text(),
                    recipient_relation=self.r_relation.text(), recipient_id_number=self.r_id.text().strip(),
                    recipient_phone=self.r_phone.text().strip(), e_service_consent=consent,
                    e_mobile=self.e_mobile.text().strip() if consent else "",
                    e_email=self.e_email.text().strip() if consent else "",
                    e_wechat=self.e_wechat.text().strip() if consent else "", note=self.note.text())


class AttemptDialog(FormDialog):
    """送达记录. ``addresses``: (label, id) of the party's addresses; ``channels``: consented e-channels."""

    def __init__(self, party_label: str, addresses: list[tuple[str, Any]], channels: list[str],
                 procedure: Procedure | None, parent: QWidget | None = None):
        super().__init__(f"登记送达 — {party_label}", "attemptDialog", parent)
        self.procedure = procedure
        self.document = self.add("送达文书：", combo("attemptDocument", "送达文书", [(d.label, d) for d in ServedDocument]))
        self.title = self.add("文书名称：", named(QLineEdit(), "attemptTitle", "文书名称"))
        self.method = self.add("送达方式：", combo("attemptMethod", "送达方式", [(m.label, m) for m in ServiceMethod]))
        self.result = self.add("送达结果：", named(QComboBox(), "attemptResult", "送达结果"))
        self.address = self.add("送达地址：", combo("attemptAddress", "送达地址", [("（不指定）", None), *addresses]))
        self.on = self.add("送达（寄出）日期：", _date_edit("attemptDate", "送达日期", desk_today()))
        self.signed_on = self.add("签收日期：", _date_edit("attemptSignedOn", "签收日期"))
        self.signer = self.add("签收（拒收）人：", named(QLineEdit(), "attemptSigner", "签收人"))
        self.signer.setPlaceholderText("本人 / 同住成年家属 / 指定代收人 / 诉讼代理人 …")
        self.returned_on = self.add("退回日期：", _date_edit("attemptReturnedOn", "退回日期"))
        self.tracking = self.add("邮件单号：", named(QLineEdit(), "attemptTracking", "法院专递单号"))
        self.witnesses = self.add("见证人：", named(QLineEdit(), "attemptWitnesses", "见证人"))
        self.media = self.add("拍照录像记录：", named(QLineEdit(), "attemptMedia", "拍照、录像记录"))
        self.channel = self.add("电子送达渠道：", combo("attemptChannel", "电子送达渠道",
                                                      [(label, key) for key, label in E_CHANNELS if key in channels]))
        self.court = self.add("受委托法院：", named(QLineEdit(), "attemptCourt", "受委托法院"))
        self.notice_days = self.add("公告期：", combo("attemptNoticeDays", "公告期",
                                                   [("三十日", 30), ("六十日（在境内没有住所）", 60)]))
        self.receipt = self.add("送达回证：", named(QLineEdit(), "attemptReceipt", "送达回证编号"))
        self.note = self.add("经过（公告原因）：", named(QLineEdit(), "attemptNote", "送达经过"))
        self.warning = QLabel()
        self.warning.setObjectName("attemptWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5a00;")
        self.form.addRow(self.warning)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.document.currentIndexChanged.connect(self._refresh)
        self._method_changed()

    def _method_changed(self, *_args: object) -> None:
        self.result.clear()
        for r in ALLOWED_RESULTS[ServiceMethod(self.method.currentData())]:
            self.result.addItem(r.label, r)
        self._refresh()

    def _refresh(self, *_args: object) -> None:
        m = ServiceMethod(self.method.currentData())  # Qt hands a StrEnum back as a plain str
        shown = {
            self.signed_on: m in (ServiceMethod.DIRECT, ServiceMethod.POST, ServiceMethod.ENTRUSTED),
            self.signer: m in (ServiceMethod.DIRECT, ServiceMethod.POST, ServiceMethod.ENTRUSTED, ServiceMethod.LEFT),
            self.returned_on: m in (ServiceMethod.POST, ServiceMethod.ENTRUSTED),
            self.tracking: m is ServiceMethod.POST, self.witnesses: m is ServiceMethod.LEFT,
            self.media: m is ServiceMethod.LEFT, self.channel: m is ServiceMethod.ELECTRONIC,
            self.court: m is ServiceMethod.ENTRUSTED, self.notice_days: m is ServiceMethod.PUBLIC_NOTICE,
            self.address: m not in (ServiceMethod.ELECTRONIC, ServiceMethod.PUBLIC_NOTICE),
        }
        for w, on in shown.items():
            w.setVisible(on)
            label = self.form.labelForField(w)
            if label is not None:
                label.setVisible(on)
        doc = ServedDocument(self.document.currentData())
        warn = []
        if m is ServiceMethod.PUBLIC_NOTICE and self.procedure in (Procedure.SIMPLE, Procedure.SMALL_CLAIMS):
            warn.append(f"本案适用{self.procedure.label}：简易程序案件不适用公告送达（民诉法解释第一百四十条）。"
                        "受送达人下落不明的，请先将案件转为普通程序审理，再公告送达。")
        if m is ServiceMethod.LEFT and doc is ServedDocument.MEDIATION_DOCUMENT:
            warn.append("调解书应当直接送达当事人本人，不适用留置送达（民诉法解释第一百三十三条）。")
        if m is ServiceMethod.ELECTRONIC and self.channel.count() == 0:
            warn.append("该当事人没有签署同意电子送达的送达地址确认书，不能电子送达。")
        self.warning.setText("\n".join(warn))
        self.warning.setVisible(bool(warn))

    def values(self) -> dict[str, Any]:
        return dict(method=ServiceMethod(self.method.currentData()), document=self.document.currentData(), document_title=self.title.text(),
                    result=self.result.currentData(), address_id=self.address.currentData(),
                    attempted_on=self.on.value(), signed_on=self.signed_on.value(), signer=self.signer.text(),
                    returned_on=self.returned_on.value(), tracking_number=self.tracking.text(),
                    witnesses=self.witnesses.text(), media_record=self.media.text(),
                    e_channel=self.channel.currentData() or "", entrusted_court=self.court.text(),
                    notice_days=self.notice_days.currentData(), receipt_ref=self.receipt.text(), note=self.note.text())
