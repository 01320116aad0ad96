"""Declarative base and the column types every aggregate uses.

- UUID primary keys, so records made offline at the mediation station merge without clashes.
- ``Money``: Decimal stored exactly (a string on SQLite, NUMERIC(18,2) on PostgreSQL).
- ``UTCDateTime``: timezone-aware datetimes stored as UTC.
- ``LabelledEnum``: a code the database stores, with the word court staff read for it (标签);
  ``code_enum`` is its column type (a plain VARCHAR of the member names, no native ENUM).
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Self

from sqlalchemy import Enum, MetaData, Numeric, String, text, types
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Money(types.TypeDecorator[Decimal]):
    """Exact money amount in yuan (two decimals)."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):  # type: ignore[no-untyped-def]
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(18, 2))

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        value = Decimal(value).quantize(Decimal("0.01"))
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return Decimal(value)


class UTCDateTime(types.TypeDecorator[datetime]):
    """Timezone-aware datetime, stored as naive UTC (SQLite has no time zones)."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to UTCDateTime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class LabelledEnum(enum.StrEnum):
    """A code with its Chinese label, written once: ``RECEIVED = "received", "已收件待审查"``.

    The member's value is the code (what the resources files and the bundles hold); ``label`` is the word
    shown to court staff. Looking a member up by its code (``Stage("received")``) works as for any enum.
    """

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        if not label:
            raise TypeError(f"{cls.__name__}.{value}: a labelled code needs its label")
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def labels(cls) -> dict[Self, str]:
        """Member → label, in the order the members are defined (for choice lists)."""
        return {member: member._label for member in cls}


def code_enum(cls: type[enum.Enum], length: int = 30) -> Enum:
    """The column type of an enum: its member names in a VARCHAR(``length``), no native ENUM type."""
    return Enum(cls, native_enum=False, length=length)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class Versioned:
    """An editable record: ``row_version`` counts its saves (SQLAlchemy's version counter).

    Every UPDATE says ``WHERE row_version = <the version read>`` and raises ``StaleDataError`` when another
    desk saved in between; a form also sends the version it showed (``services.common.concurrency``), so a
    save over someone else's newer change becomes a conflict shown to the person, never an overwrite.
    """

    row_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
