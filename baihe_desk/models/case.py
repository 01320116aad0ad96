"""The case aggregate: cases (案件), their parties (当事人), agents (诉讼代理人) and addresses (地址), and the
per-court, per-year, per-type case-number counters (案号计数). One module, because a case and its parties
point at each other."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import (
    Base,
    LabelledEnum,
    Money,
    Timestamps,
    UTCDateTime,
    UUIDPk,
    Versioned,
    code_enum,
)


class Procedure(LabelledEnum):
    SMALL_CLAIMS = "small_claims", "小额诉讼"  # 小额诉讼程序
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class Stage(LabelledEnum):
    RECEIVED = "received", "已收件待审查"
    CORRECTION = "correction", "待补正"
    PRE_MEDIATION = "pre_mediation", "诉前调解中"
    FILED = "filed", "已立案"
    IN_TRIAL = "in_trial", "审理中"
    JUDGED = "judged", "已判决"  # 上诉期内
    CLOSED = "closed", "已结案"
    REJECTED = "rejected", "不予受理"  # 不予受理 / 告知另行处理
    WITHDRAWN = "withdrawn", "已撤回"


STAGE_LABELS = Stage.labels()


class Case(UUIDPk, Versioned, Timestamps, Base):
    """案件 — from receipt of the complaint (收件) through filing, mediation, trial and closing."""

    __tablename__ = "case"

    case_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)  # 案号
    number_year: Mapped[int | None] = mapped_column(default=None)
    number_type: Mapped[str | None] = mapped_column(String(8), default=None)  # 类型代字
    number_serial: Mapped[int | None] = mapped_column(default=None)
    receipt_number: Mapped[str] = mapped_column(String(40), unique=True)  # 收件号 (before a 案号 exists)

    cause_code: Mapped[str] = mapped_column(String(20), default="")  # 案由 code in the catalogue
    cause_name: Mapped[str] = mapped_column(String(100), default="")  # 案由 text as filed
    cause_catalogue: Mapped[str] = mapped_column(String(40), default="")  # catalogue version
    procedure: Mapped[Procedure | None] = mapped_column(code_enum(Procedure, 20), default=None)
    stage: Mapped[Stage] = mapped_column(code_enum(Stage, 20), default=Stage.RECEIVED)
    claim_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # 标的额（元）
    claims: Mapped[str] = mapped_column(Text, default="")  # 诉讼请求
    facts: Mapped[str] = mapped_column(Text, default="")  # 事实和理由

    received_on: Mapped[date] = mapped_column(Date)  # 收到起诉状日期
    filed_on: Mapped[date | None] = mapped_column(Date, default=None)  # 立案日期
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)  # 结案日期

    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"), default=None)
    judge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.sort_order", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # The case list's sort orders read pages from these covering indexes (keyset/offset, from
        # the far end for the last pages); their first column also serves the period statistics
        # and the stage filters (revision 0002 replaced the one-column received_on/stage indexes).
        Index("ix_case_received_receipt", "received_on", "receipt_number"),
        Index("ix_case_cause_receipt", "cause_name", "receipt_number"),
        Index("ix_case_stage_receipt", "stage", "receipt_number"),
        # statistics by period (1M cases: month 6 s → 1.3 s); covering the columns the month's counts
        # and 超审限结案 read, so those never touch the case rows (revision 0013: 40 % faster at 1M)
        Index("ix_case_filed_on", "filed_on", "number_type", "department_id", "judge_id"),
        Index("ix_case_closed_on", "closed_on", "number_type", "filed_on", "procedure", "department_id", "judge_id",
              "id"),
    )


class CaseNumberCounter(Base):
    """案号计数: the last serial used per court, year, 专门审判代字 and 类型代字 (gap-free)."""

    __tablename__ = "case_number_counter"

    court_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    type_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_serial: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (UniqueConstraint("court_code", "year", "type_code", name="uq_case_number_counter_key"),)


class PartyRole(LabelledEnum):
    PLAINTIFF = "plaintiff", "原告"
    DEFENDANT = "defendant", "被告"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(LabelledEnum):
    NATURAL = "natural", "自然人"
    ORGANISATION = "organisation", "法人或非法人组织"


class DomicileRegion(LabelledEnum):
    """Where the party has its 住所: decides the answer and appeal periods (民事诉讼法第二百八十五条、第二百八十六条).

    A party with no domicile in the PRC answers and appeals within 30 days; for parties from 香港、澳门、台湾
    the court may apply those special rules by reference (民诉法解释第五百四十九条 "可以参照适用").
    """

    MAINLAND = "mainland", "在中华人民共和国领域内有住所"
    FOREIGN = "foreign", "在中华人民共和国领域内没有住所（涉外）"
    HK_MO_TW = "hk_mo_tw", "港澳台地区，内地没有住所（参照涉外程序）"

    @property
    def without_domicile(self) -> bool:
        """The 30-day answer and appeal periods apply (涉外, or 港澳台 by reference)."""
        return self is not DomicileRegion.MAINLAND


class Party(UUIDPk, Versioned, Timestamps, Base):
    """当事人. Natural persons and organisations share a table; unused fields stay empty."""

    __tablename__ = "party"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    role: Mapped[PartyRole] = mapped_column(code_enum(PartyRole, 20))
    kind: Mapped[PartyKind] = mapped_column(code_enum(PartyKind, 20))
    sort_order: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    # natural person
    sex: Mapped[str] = mapped_column(String(2), default="")  # 男 / 女
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    ethnicity: Mapped[str] = mapped_column(String(20), default="")  # 民族
    occupation: Mapped[str] = mapped_column(String(50), default="")
    work_unit: Mapped[str] = mapped_column(String(200), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")  # 居民身份证号
    # organisation
    credit_code: Mapped[str] = mapped_column(String(18), default="")  # 统一社会信用代码
    legal_rep_name: Mapped[str] = mapped_column(String(50), default="")  # 法定代表人/主要负责人
    legal_rep_title: Mapped[str] = mapped_column(String(50), default="")  # 职务
    legal_rep_is_principal: Mapped[bool] = mapped_column(default=False)  # 主要负责人 rather than 法定代表人
    # both
    domicile: Mapped[str] = mapped_column(String(300), default="")  # 住所
    # 境内有住所 / 境内没有住所 / 港澳台: the 30-day periods of 民事诉讼法第二百八十五条、第二百八十六条 (revision 0008)
    domicile_region: Mapped[DomicileRegion] = mapped_column(
        code_enum(DomicileRegion, 20), default=DomicileRegion.MAINLAND, server_default="MAINLAND"
    )
    phone: Mapped[str] = mapped_column(String(40), default="")
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")  # full pinyin + initials, for search

    case: Mapped[Case] = relationship(back_populates="parties")
    addresses: Mapped[list[Address]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="Address.sort_order"
    )
    agents: Mapped[list[Agent]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="Agent.sort_order"
    )

    __table_args__ = (Index("ix_party_name", "name"),)

    @property
    def display_role(self) -> str:
        return self.role.label


class AddressKind(LabelledEnum):
    DOMICILE = "domicile", "住所"  # 住所 / 户籍地
    HABITUAL = "habitual", "经常居住地"
    SERVICE = "service", "确认的送达地址"  # 送达地址（当事人确认）
    CONTRACT = "contract", "合同约定地址"
    OTHER = "other", "其他地址"


class Address(UUIDPk, Versioned, Timestamps, Base):
    """地址 of a party, with its source (the service-address workflow grows on this)."""

    __tablename__ = "address"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AddressKind] = mapped_column(code_enum(AddressKind, 20))
    text: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(6), default="")
    source: Mapped[str] = mapped_column(String(100), default="")  # 起诉状 / 身份证 / 合同 / 户籍 …
    sort_order: Mapped[int] = mapped_column(default=0)

    party: Mapped[Party] = relationship(back_populates="addresses")

    __table_args__ = (Index("ix_address_text", "text"),)


class Agent(UUIDPk, Versioned, Timestamps, Base):
    """诉讼代理人 with the scope of the 授权委托书."""

    __tablename__ = "agent"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(50))
    agent_type: Mapped[str] = mapped_column(String(20), default="律师")  # 律师/基层法律服务工作者/近亲属/…
    id_number: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")  # 律师事务所 etc.
    license_number: Mapped[str] = mapped_column(String(40), default="")  # 执业证号
    special_authority: Mapped[bool] = mapped_column(default=False)  # 特别授权 (else 一般授权)
    authority_detail: Mapped[str] = mapped_column(Text, default="")  # 代为承认、放弃、变更诉讼请求 …

    party: Mapped[Party] = relationship(back_populates="agents")
