"""Court profile (法院信息), departments (部门) and court-wide settings (设置)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import Base, Timestamps, UUIDPk, Versioned


class CourtProfile(UUIDPk, Versioned, Timestamps, Base):
    """法院信息: one row per court served by this database."""

    __tablename__ = "court_profile"

    name: Mapped[str] = mapped_column(String(100))  # 吉林省白河林区基层法院
    short_name: Mapped[str] = mapped_column(String(50), default="")
    code: Mapped[str] = mapped_column(String(12))  # 法院代字, e.g. 吉7502
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(6), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    filing_phone: Mapped[str] = mapped_column(String(40), default="")  # 立案咨询电话
    seal_text: Mapped[str] = mapped_column(String(100), default="")

    departments: Mapped[list[Department]] = relationship(
        back_populates="court", order_by="Department.sort_order", cascade="all, delete-orphan"
    )


class Department(UUIDPk, Versioned, Base):
    """部门: 立案庭, 民事审判庭, 执行局, 人民法庭, 诉非联动服务站 …"""

    __tablename__ = "department"

    court_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("court_profile.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="")  # filing/trial/enforcement/tribunal/station
    sort_order: Mapped[int] = mapped_column(default=0)
    chief_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", use_alter=True), default=None)
    overseer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("app_user.id", use_alter=True), default=None
    )  # 分管院长

    court: Mapped[CourtProfile] = relationship(back_populates="departments")


class Setting(Base):
    """Court-wide setting (key → JSON value); every change is audited by the settings service."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
