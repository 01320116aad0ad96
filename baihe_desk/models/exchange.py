"""案件包交换 (case bundles between desks that cannot reach the court's server).

- :class:`Desk` — a desk (工作台) this one exchanges bundles with, registered by the administrator with its
  public key and the fingerprint read aloud; this desk itself has a row too (``is_self``). A revoked desk's
  bundles are refused. ``last_sent_seq`` / ``last_received_seq`` number the bundles to and from it, so an
  old bundle played again is refused (replay protection).
- :class:`BundleLog` — every bundle written or read here, by its id, with the record versions it carried
  (a check-out's versions are the base a later check-in is compared with).
- :class:`CaseCheckout` — 已借出: a case lent to another desk (direction ``out``, with a due date), or
  borrowed from one (``in``, on the laptop or the station); ``returned_at`` closes it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, LabelledEnum, UTCDateTime, UUIDPk, code_enum, utcnow


class DeskKind(LabelledEnum):
    COURT = "court", "法院（院内服务器或立案窗口）"
    LAPTOP = "laptop", "法官笔记本（离线）"
    STATION = "station", "诉非联动服务站"


class Desk(UUIDPk, Base):
    """工作台 (one installation with its own key pair)."""

    __tablename__ = "exchange_desk"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[DeskKind] = mapped_column(code_enum(DeskKind, 20))
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # Ed25519 verify key, hex
    fingerprint: Mapped[str] = mapped_column(String(40))  # the short code read aloud
    is_self: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    last_sent_seq: Mapped[int] = mapped_column(default=0)  # bundles this desk wrote for it
    last_received_seq: Mapped[int] = mapped_column(default=0)  # highest sequence accepted from it


class BundleLog(Base):
    """案件包记录: one bundle written (``out``) or read (``in``) here."""

    __tablename__ = "exchange_bundle"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the bundle id of the manifest
    direction: Mapped[str] = mapped_column(String(3))  # out / in
    purpose: Mapped[str] = mapped_column(String(10))  # checkout / checkin
    peer_desk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exchange_desk.id"), index=True)
    sequence: Mapped[int] = mapped_column()
    base_bundle_id: Mapped[uuid.UUID | None] = mapped_column(default=None)  # the check-out a return answers
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # as in the manifest
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    case_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # "table:id" → row hash
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # counts, conflicts decided

    __table_args__ = (UniqueConstraint("direction", "peer_desk_id", "sequence", name="uq_exchange_bundle_seq"),)


class CaseCheckout(UUIDPk, Base):
    """已借出 / 借入: a case lent to (``out``) or borrowed from (``in``) another desk."""

    __tablename__ = "exchange_checkout"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    desk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exchange_desk.id"))
    direction: Mapped[str] = mapped_column(String(3))  # out / in
    bundle_id: Mapped[uuid.UUID] = mapped_column()
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    checked_out_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    returned_bundle_id: Mapped[uuid.UUID | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_exchange_checkout_open", "case_id", "returned_at"),)


EXCHANGE_TABLES = ("exchange_desk", "exchange_bundle", "exchange_checkout")
