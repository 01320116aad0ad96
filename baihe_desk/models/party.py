"""Parties (当事人), their agents (诉讼代理人) and addresses (地址)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import Base, LabelledEnum, Timestamps, UUIDPk, code_enum

if TYPE_CHECKING:  # the relationship's other side; SQLAlchemy resolves it by name at mapper set-up
    from baihe_desk.models.case import Case


class PartyRole(LabelledEnum):
    PLAINTIFF = "plaintiff", "原告"
    DEFENDANT = "defendant", "被告"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(LabelledEnum):
    NATURAL = "natural", "自然人"
    ORGANISATION = "organisation", "法人或非法人组织"


class Party(UUIDPk, Timestamps, Base):
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


class Address(UUIDPk, Timestamps, Base):
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


class Agent(UUIDPk, Timestamps, Base):
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
