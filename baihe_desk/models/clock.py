"""审理期限 (trial limits): the approved extensions (延长审限) and the periods not counted (扣除审限) of a case.

The trial limit itself is always computed (``services.deadlines.clocks_trial``) from ``Case.filed_on`` and
``Case.procedure``; only what a person decided is stored here, with who approved it, on what basis and
for how long — never changed silently:

- :class:`TrialLimitExtension` — 延长审限 approved by the 院长 (民事诉讼法第一百五十二条、第一百六十四条、
  第一百六十八条) or, for a further extension of an ordinary-procedure case, by the higher court (第一百五十二条).
  It keeps the procedure it was approved under: after a change of procedure (简易 → 普通, 解释第二百五十八条)
  the limit runs from filing again and an earlier extension no longer counts.
- :class:`TrialLimitSuspension` — a period not counted in the limit (民诉法解释第二百四十三条: 公告、鉴定、
  和解、管辖异议及管辖争议期间; 民事调解规定第二条、第四条 …), from its first to its last day (both not counted);
  an open one (no end yet) stops the clock.

A record entered by mistake is never deleted: it is voided (作废) with a reason, which the audit trail keeps.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baihe_desk.models.base import Base, LabelledEnum, Timestamps, UTCDateTime, UUIDPk, Versioned, code_enum
from baihe_desk.models.case import Procedure


class ApproverLevel(LabelledEnum):
    PRESIDENT = "president", "本院院长"
    HIGHER_COURT = "higher_court", "上级人民法院"


class SuspensionKind(LabelledEnum):
    """Periods not counted in the trial limit."""

    PUBLIC_NOTICE = "public_notice", "公告期间"
    APPRAISAL = "appraisal", "鉴定期间"
    SETTLEMENT = "settlement", "双方当事人和解期间"  # 庭外和解
    JURISDICTION = "jurisdiction", "审理管辖异议（管辖争议）期间"  # 审理管辖异议、处理管辖争议期间
    MEDIATION_EXTENSION = "mediation_extension", "经当事人同意延长的调解期间"
    STAY = "stay", "中止诉讼期间"
    OTHER = "other", "其他不计入审限的期间"  # 须写明依据


SUSPENSION_LABELS = SuspensionKind.labels()


class _Voidable:
    """Who recorded it, and its voiding (作废, with a reason): a record entered by mistake is never deleted.

    The columns come after the record's own (before ``id`` and the time stamps), as they always stood."""

    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    voided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    void_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def active(self) -> bool:
        return self.voided_at is None


class TrialLimitExtension(_Voidable, UUIDPk, Versioned, Timestamps, Base):
    """延长审限: approved by name, on a date, for a number of months, under a procedure."""

    __tablename__ = "trial_limit_extension"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    procedure: Mapped[Procedure] = mapped_column(code_enum(Procedure))  # the procedure it was approved under
    months: Mapped[int] = mapped_column()
    approver_level: Mapped[ApproverLevel] = mapped_column(code_enum(ApproverLevel))
    approved_by_name: Mapped[str] = mapped_column(String(100))  # 批准人（院长姓名 / 上级法院名称）
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    approved_on: Mapped[date] = mapped_column(Date)
    approval_ref: Mapped[str] = mapped_column(String(100), default="")  # 审批表编号 / 批复文号
    reason: Mapped[str] = mapped_column(Text)  # 特殊情况（延长理由）
    basis: Mapped[str] = mapped_column(Text, default="")  # 法律依据 (as shown when recorded)
    due_before: Mapped[date | None] = mapped_column(Date, default=None)  # 延长前的审限届满日 (snapshot)
    due_after: Mapped[date | None] = mapped_column(Date, default=None)  # 延长后的审限届满日 (snapshot)


class TrialLimitSuspension(_Voidable, UUIDPk, Versioned, Timestamps, Base):
    """扣除审限: a period from ``started_on`` to ``ended_on`` (both days not counted); open while no end."""

    __tablename__ = "trial_limit_suspension"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SuspensionKind] = mapped_column(code_enum(SuspensionKind))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")  # 事由（如：委托××鉴定所鉴定）
    basis: Mapped[str] = mapped_column(Text, default="")  # 法律依据
    approved_by_name: Mapped[str] = mapped_column(String(100))  # 批准扣除的人（庭长、院长）
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    approved_on: Mapped[date] = mapped_column(Date)


CLOCK_MODELS = (TrialLimitExtension, TrialLimitSuspension)
