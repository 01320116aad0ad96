"""Audit records (审计记录): append-only, hash-chained (each carries the hash of the previous)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, UTCDateTime, UUIDPk, utcnow


class AuditRecord(UUIDPk, Base):
    __tablename__ = "audit_record"

    seq: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3 … in chain order
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    username: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(60))  # e.g. case.create, auth.login_failed, permission.denied
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    before: Mapped[Any] = mapped_column(JSON, default=None)
    after: Mapped[Any] = mapped_column(JSON, default=None)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
