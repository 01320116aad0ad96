"""Users (用户) and roles (角色)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, LabelledEnum, Timestamps, UTCDateTime, UUIDPk, Versioned, code_enum


class Role(LabelledEnum):
    FILING_CLERK = "filing_clerk", "立案窗口书记员"
    JUDGE_ASSISTANT = "judge_assistant", "法官助理"
    CLERK = "clerk", "书记员"
    JUDGE = "judge", "承办法官"
    DIVISION_CHIEF = "division_chief", "庭长"
    VICE_PRESIDENT = "vice_president", "分管院长"
    ENFORCEMENT = "enforcement", "执行局"
    MEDIATOR = "mediator", "调解员"
    ADMIN = "admin", "管理员"


ROLE_LABELS: dict[Role, str] = Role.labels()


class User(UUIDPk, Versioned, Timestamps, Base):
    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[Role] = mapped_column(code_enum(Role))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"), default=None)
    phone: Mapped[str] = mapped_column(String(40), default="")
    password_hash: Mapped[str] = mapped_column(String(200))  # scrypt$n$r$p$salt_hex$hash_hex
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
