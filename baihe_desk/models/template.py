"""Wording templates (文书模板版本) edited by an administrator: every save is a new version.

The newest version of a kind wins over the template shipped in ``resources/templates``; rolling
back means saving an older body again as a new version, so the history is never rewritten.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, UTCDateTime, UUIDPk, utcnow


class WordingTemplate(UUIDPk, Base):
    __tablename__ = "wording_template"

    kind: Mapped[str] = mapped_column(String(40), index=True)  # stable KIND name, e.g. mediation-notice
    version: Mapped[int] = mapped_column()  # continues after the shipped template's version
    body: Mapped[str] = mapped_column(Text)  # the template (TOML with Jinja2 placeholders)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")  # 修改说明, e.g. 回退到第 2 版

    __table_args__ = (UniqueConstraint("kind", "version", name="uq_wording_template_kind_version"),)
