"""立案审查 (complaint review): one row per review round of a case, with one answer per checklist item.

A round starts when the complaint (round 1) or the corrected materials (round 2, 3 …) are received;
``materials_received_on`` is the day the 7-day filing period (民事诉讼法第一百二十六条; 登记立案规定第八条)
runs from — after 补正 it restarts from the corrected filing (民诉法解释第一百二十六条). The round keeps
the checklist version it used, and on finishing a snapshot of the failed items (``outcome_reasons``),
so an old case still shows what was checked and what the party was told.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import (
    Base,
    LabelledEnum,
    Timestamps,
    UTCDateTime,
    UUIDPk,
    Versioned,
    code_enum,
    utcnow,
)


class ReviewOutcome(LabelledEnum):
    REGISTERED = "registered", "登记立案"
    CORRECTION = "correction", "通知补正"
    REJECTED = "rejected", "不予受理"  # 裁定不予受理 / 不予登记立案
    REDIRECTED = "redirected", "告知另行处理"  # 行政诉讼、仲裁、有关机关、有管辖权的法院、申请再审
    REFERRED_MEDIATION = "referred_mediation", "引导诉前调解"


OUTCOME_LABELS = ReviewOutcome.labels()


class Answer(LabelledEnum):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NA = "na", "不适用"


class ComplaintReview(UUIDPk, Versioned, Timestamps, Base):
    """立案审查（一轮）."""

    __tablename__ = "complaint_review"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    round_no: Mapped[int] = mapped_column(default=1)  # 第几轮审查（补正后递增）
    checklist_version: Mapped[str] = mapped_column(String(20))
    materials_received_on: Mapped[date] = mapped_column(Date)  # 本轮起诉材料/补正材料收到日期
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    outcome: Mapped[ReviewOutcome | None] = mapped_column(code_enum(ReviewOutcome, 20), default=None)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)  # 决定日期（立案日/补正通知日）
    correction_days: Mapped[int | None] = mapped_column(default=None)  # 补正期限（日）
    correction_deadline: Mapped[date | None] = mapped_column(Date, default=None)  # 补正期限届满日
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    # snapshot of the failed items the outcome rests on: [{item_id, group, defect, fix, basis, consequence, route}]
    outcome_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    previous_review_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("complaint_review.id"), default=None
    )

    answers: Mapped[list[ReviewAnswer]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewAnswer.created_at"
    )

    __table_args__ = (UniqueConstraint("case_id", "round_no", name="uq_complaint_review_case_round"),
                      Index("ix_complaint_review_decided_on", "decided_on"))  # 补正率 by period

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class ReviewAnswer(UUIDPk, Versioned, Timestamps, Base):
    """审查意见（一项）. ``answer`` None = not answered yet (a prefill hint may still be shown)."""

    __tablename__ = "review_answer"

    review_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("complaint_review.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[Answer | None] = mapped_column(code_enum(Answer, 10), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    prefilled: Mapped[bool] = mapped_column(default=False)  # answer proposed by the system from case data
    prefill_explanation: Mapped[str] = mapped_column(Text, default="")  # why (or a hint when no answer)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    review: Mapped[ComplaintReview] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("review_id", "item_id", name="uq_review_answer_review_item"),)
