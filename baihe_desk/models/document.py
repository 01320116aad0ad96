"""Generated documents (生成的文书): records, never overwritten; a new version is a new row."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, UTCDateTime, UUIDPk, utcnow


class GeneratedDocument(UUIDPk, Base):
    __tablename__ = "generated_document"

    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case.id"), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(40))  # stable KIND name, e.g. mediation-notice
    title: Mapped[str] = mapped_column(String(100))  # 诉前调解告知书
    version: Mapped[int] = mapped_column()  # 1, 2, … per case and kind
    format: Mapped[str] = mapped_column(String(8))  # pdf / docx
    relpath: Mapped[str] = mapped_column(String(400))  # below the data folder's documents/
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    template_version: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # why the PDF's body is not in 仿宋 (no such font on the desk that made it), "" when it is (revision 0011)
    font_note: Mapped[str] = mapped_column(String(300), default="", server_default="")

    __table_args__ = (UniqueConstraint("case_id", "kind", "version", "format", name="uq_generated_document_ver"),)
