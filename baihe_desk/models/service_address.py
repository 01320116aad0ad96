"""送达地址 (service addresses), their verification (核实) and the service-attempts log (送达记录).

- :class:`ServiceAddress`: one address of a party with its source on the ladder of 法发〔2017〕19号
  (送达地址确认书 → 合同约定 → 本案书面材料 → 一年内其他诉讼/仲裁 → 一年内民事活动 → 户籍登记/经常居住地 or
  工商登记), plus the e-service consent, which only a signed 送达地址确认书 can carry (民诉法解释第一百三十六条).
- :class:`AddressVerification`: how an address was checked (电话, 户籍查询, 企业信用信息公示系统, 网格员/走访,
  邮寄回执), when, by whom, with what result.
- :class:`ServiceAttempt`: one attempt to serve one document on one party, with method, result and the
  送达回证 reference; the legal service date is computed by ``services.filing.service_date.served_on``.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import Base, LabelledEnum, Timestamps, UUIDPk, Versioned, code_enum


class AddressSource(LabelledEnum):
    CONFIRMATION = "confirmation", "送达地址确认书"
    CONTRACT = "contract", "合同约定的送达地址"  # 合同或往来函件中明确约定的送达地址
    OWN_FILING = "own_filing", "本案诉讼材料中载明的地址"  # 当事人在本案诉讼中提交的书面材料载明的自己的地址
    OTHER_PROCEEDINGS = "other_proceedings", "一年内其他诉讼、仲裁中提供的地址"
    CIVIL_ACTIVITY = "civil_activity", "一年内民事活动中经常使用的地址"
    HOUSEHOLD = "household", "户籍登记的住所"
    HABITUAL_RESIDENCE = "habitual_residence", "经常居住地"  # 经常居住地登记的住址
    BUSINESS_REGISTRATION = "business_registration", "工商登记（登记、备案）的住所地"
    COMPLAINT = "complaint", "起诉状所列地址（待核实）"  # 对方当事人提供

    @property
    def rank(self) -> int:
        """Place on the ladder (0 = strongest). 起诉状所列 (given by the other side) is off the ladder."""
        return SOURCE_RANK[self]


SOURCE_LABELS = AddressSource.labels()
SOURCE_RANK = {
    AddressSource.CONFIRMATION: 0, AddressSource.CONTRACT: 1, AddressSource.OWN_FILING: 2,
    AddressSource.OTHER_PROCEEDINGS: 3, AddressSource.CIVIL_ACTIVITY: 4, AddressSource.HOUSEHOLD: 5,
    AddressSource.HABITUAL_RESIDENCE: 5, AddressSource.BUSINESS_REGISTRATION: 5, AddressSource.COMPLAINT: 9,
}


class VerificationMethod(LabelledEnum):
    PHONE = "phone", "电话核实"
    HOUSEHOLD_QUERY = "household_query", "户籍信息查询"
    ENTERPRISE_QUERY = "enterprise_query", "企业信用信息公示系统查询"  # 国家企业信用信息公示系统
    GRID_WORKER = "grid_worker", "网格员核实"
    VISIT = "visit", "实地走访"
    POSTAL_RECEIPT = "postal_receipt", "邮寄回执"


class VerificationResult(LabelledEnum):
    CONFIRMED = "confirmed", "地址属实"
    NOT_FOUND = "not_found", "查无此人"
    MOVED = "moved", "已搬离"
    WRONG = "wrong", "地址有误或不存在"
    UNREACHABLE = "unreachable", "无法联系、无法核实"


class ServiceMethod(LabelledEnum):
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    ELECTRONIC = "electronic", "电子送达"
    POST = "post", "邮寄送达（法院专递）"
    ENTRUSTED = "entrusted", "委托送达"
    PUBLIC_NOTICE = "public_notice", "公告送达"


class ServiceResult(LabelledEnum):
    SIGNED = "signed", "签收"
    REFUSED = "refused", "拒收"
    NO_SUCH_PERSON = "no_such_person", "查无此人"
    ADDRESS_UNCLEAR = "address_unclear", "地址不详"
    RETURNED = "returned", "退回"  # 其他原因
    LEFT_AT_RESIDENCE = "left_at_residence", "已留置"  # 已留置于住所
    SENT = "sent", "发送成功"  # 电子送达：系统显示发送成功
    PUBLISHED = "published", "已公告"  # 公告已发出

    @property
    def failed(self) -> bool:
        return self in FAILED_RESULTS


FAILED_RESULTS = frozenset({ServiceResult.REFUSED, ServiceResult.NO_SUCH_PERSON, ServiceResult.ADDRESS_UNCLEAR,
                            ServiceResult.RETURNED})


class ServedDocument(LabelledEnum):
    COMPLAINT_COPY = "complaint_copy", "起诉状副本"
    RESPONSE_NOTICE = "response_notice", "应诉通知书"
    EVIDENCE_NOTICE = "evidence_notice", "举证通知书"
    SUMMONS = "summons", "传票"
    JUDGMENT = "judgment", "判决书"
    RULING = "ruling", "裁定书"
    MEDIATION_DOCUMENT = "mediation_document", "调解书"
    OTHER = "other", "其他诉讼文书"


class ServiceAddress(UUIDPk, Versioned, Timestamps, Base):
    """送达地址 of one party in one case, with its source and (for a 确认书) the e-service consent."""

    __tablename__ = "service_address"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    source: Mapped[AddressSource] = mapped_column(code_enum(AddressSource))
    source_detail: Mapped[str] = mapped_column(String(200), default="")  # 合同名称、其他案件案号 …
    source_date: Mapped[date | None] = mapped_column(Date, default=None)  # 其他诉讼/民事活动的日期（一年内）
    text: Mapped[str] = mapped_column(String(300))  # 详细地址
    postcode: Mapped[str] = mapped_column(String(6), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    recipient_name: Mapped[str] = mapped_column(String(50), default="")  # 指定签收人（代收人）
    recipient_relation: Mapped[str] = mapped_column(String(50), default="")
    recipient_id_number: Mapped[str] = mapped_column(String(18), default="")
    recipient_phone: Mapped[str] = mapped_column(String(40), default="")
    # 送达地址确认书
    confirmation_signed: Mapped[bool] = mapped_column(default=False)  # 受送达人（或其代理人）签名、盖章或捺印
    confirmed_on: Mapped[date | None] = mapped_column(Date, default=None)
    confirmed_by_name: Mapped[str] = mapped_column(String(50), default="")  # 签署人（本人或诉讼代理人）
    e_service_consent: Mapped[bool] = mapped_column(default=False)  # 同意电子送达
    e_mobile: Mapped[str] = mapped_column(String(20), default="")
    e_email: Mapped[str] = mapped_column(String(200), default="")
    e_wechat: Mapped[str] = mapped_column(String(100), default="")
    # 拒绝提供/确认送达地址，已告知不利后果并记入笔录（法院专递规定第三条、第五条）
    refusal_recorded: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)  # False once changed in writing or withdrawn
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_address.id"), default=None)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    verifications: Mapped[list[AddressVerification]] = relationship(
        back_populates="address", cascade="all, delete-orphan", order_by="AddressVerification.verified_on"
    )

    __table_args__ = (Index("ix_service_address_party_active", "party_id", "active"),)


class AddressVerification(UUIDPk, Versioned, Timestamps, Base):
    """地址核实记录."""

    __tablename__ = "address_verification"

    address_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_address.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[VerificationMethod] = mapped_column(code_enum(VerificationMethod))
    verified_on: Mapped[date] = mapped_column(Date)
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    verifier_name: Mapped[str] = mapped_column(String(50), default="")  # 网格员等非本院人员
    result: Mapped[VerificationResult] = mapped_column(code_enum(VerificationResult))
    note: Mapped[str] = mapped_column(Text, default="")

    address: Mapped[ServiceAddress] = relationship(back_populates="verifications")


class ServiceAttempt(UUIDPk, Versioned, Timestamps, Base):
    """送达记录: one attempt to serve one document on one party."""

    __tablename__ = "service_attempt"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    address_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_address.id"), default=None)
    method: Mapped[ServiceMethod] = mapped_column(code_enum(ServiceMethod))
    document: Mapped[ServedDocument] = mapped_column(code_enum(ServedDocument))
    document_title: Mapped[str] = mapped_column(String(200), default="")  # e.g. 民事判决书（2026）吉7502民初5号
    attempted_on: Mapped[date] = mapped_column(Date)  # 送达/寄出/发送/留置/公告发出（最后张贴或刊登）之日
    result: Mapped[ServiceResult] = mapped_column(code_enum(ServiceResult))
    signed_on: Mapped[date | None] = mapped_column(Date, default=None)  # 送达回证/回执上的签收日期
    signer: Mapped[str] = mapped_column(String(100), default="")  # 本人 / 同住成年家属 / 代收人 …
    returned_on: Mapped[date | None] = mapped_column(Date, default=None)  # 邮件退回之日
    tracking_number: Mapped[str] = mapped_column(String(60), default="")  # 法院专递单号
    witnesses: Mapped[str] = mapped_column(String(200), default="")  # 留置送达见证人（姓名、单位）
    media_record: Mapped[str] = mapped_column(String(300), default="")  # 拍照、录像记录的存放位置
    e_channel: Mapped[str] = mapped_column(String(20), default="")  # mobile / email / wechat
    arrival_proved_on: Mapped[date | None] = mapped_column(Date, default=None)  # 受送达人证明的到达日期
    entrusted_court: Mapped[str] = mapped_column(String(100), default="")  # 受委托法院
    notice_days: Mapped[int] = mapped_column(default=30)  # 公告期（日）
    receipt_ref: Mapped[str] = mapped_column(String(60), default="")  # 送达回证编号/存放位置
    note: Mapped[str] = mapped_column(Text, default="")  # 经过；公告送达须记明原因和经过
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    address: Mapped[ServiceAddress | None] = relationship()

    # the 公告 clocks (attempted_on ≥ today − the longest notice period) in queues and statistics
    __table_args__ = (Index("ix_service_attempt_attempted_on", "attempted_on"),)
