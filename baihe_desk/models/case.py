"""Cases (案件) and the per-court, per-year, per-type case-number counters (案号计数)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import Base, LabelledEnum, Money, Timestamps, UTCDateTime, UUIDPk, code_enum

if TYPE_CHECKING:  # the relationship's other side; SQLAlchemy resolves it by name at mapper set-up
    from baihe_desk.models.party import Party


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


class Case(UUIDPk, Timestamps, Base):
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
    row_version: Mapped[int] = mapped_column(default=1)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.sort_order", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        # The case list's sort orders read pages from these covering indexes (keyset/offset, from
        # the far end for the last pages); their first column also serves the period statistics
        # and the stage filters (revision 0002 replaced the one-column received_on/stage indexes).
        Index("ix_case_received_receipt", "received_on", "receipt_number"),
        Index("ix_case_cause_receipt", "cause_name", "receipt_number"),
        Index("ix_case_stage_receipt", "stage", "receipt_number"),
        Index("ix_case_filed_on", "filed_on"),  # statistics by period (1M cases: month 6 s → 1.3 s)
        Index("ix_case_closed_on", "closed_on"),
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
