"""判后答疑 (post-judgment explanation): the first-instance judgment or ruling of a case with its
service date per party, the parties' requests for explanation, the tiers of the explanation and the
信访 risk flag with its 包案 leader.

- :class:`JudgmentRecord` (裁判文书登记): one per case — 判决 or 裁定 (with the 裁定 type that decides
  whether it may be appealed, 民事诉讼法第一百五十七条), the pronouncement date and the judgment text
  summary; :class:`JudgmentService` holds the service date per party, from which that party's appeal
  period runs (民事诉讼法第一百七十一条; 民诉法解释第二百四十四条). The appeal deadline itself is always
  computed (``services.explanation.appeal_status``), never stored, except as the snapshot a tier
  records of what was shown on the day of the explanation.
- :class:`ExplanationRequest` (答疑申请): party, channel, questions; it opens tier 1.
- :class:`ExplanationTier` (答疑记录, one per tier): 1 承办法官, 2 庭长, 3 分管院长 — who was assigned by
  name, and what happened: date, place, attendees, questions, answers, legal points, the party's
  response and decision.
- :class:`RiskFlag` (信访风险): reasons and the named leader who takes the case (领导包案).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import Base, LabelledEnum, Timestamps, UTCDateTime, UUIDPk, Versioned, code_enum


class DecisionKind(LabelledEnum):
    JUDGMENT = "judgment", "判决"
    RULING = "ruling", "裁定"

    @property
    def document_title(self) -> str:
        return {"judgment": "民事判决书", "ruling": "民事裁定书"}[self.value]


class RulingType(LabelledEnum):
    """裁定的种类 (民事诉讼法第一百五十七条第一款); only the first three may be appealed (同条第二款)."""

    NOT_ACCEPTED = "not_accepted", "不予受理"  # （一）
    JURISDICTION = "jurisdiction", "管辖权异议"  # （二）对管辖权有异议的
    DISMISSAL = "dismissal", "驳回起诉"  # （三）
    OTHER = "other", "其他裁定（不准上诉）"  # （四）至（十一）项：保全、准许撤诉、中止终结诉讼、补正笔误 …


RULING_LABELS = RulingType.labels()


class Channel(LabelledEnum):
    WINDOW = "window", "窗口申请"
    PHONE = "phone", "电话"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上申请"  # 诉讼服务网、微信等


class PartyDecision(LabelledEnum):
    """当事人的决定 after a tier."""

    ACCEPTS = "accepts", "服判息诉"
    WILL_APPEAL = "will_appeal", "将上诉"
    RETRIAL = "retrial", "申请再审"
    STILL_OBJECTS = "still_objects", "仍有异议"


DECISION_LABELS = PartyDecision.labels()


class RequestStatus(LabelledEnum):
    OPEN = "open", "答疑中"  # 当前一级待记录
    AWAITING_ESCALATION = "awaiting_escalation", "仍有异议，待提请上一级"
    CLOSED = "closed", "已结束"


TIER_ROLES = {1: "承办法官", 2: "庭长", 3: "分管院长"}
MAX_TIER = 3


class JudgmentRecord(UUIDPk, Versioned, Timestamps, Base):
    """裁判文书登记: the first-instance judgment or ruling of a case."""

    __tablename__ = "judgment_record"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[DecisionKind] = mapped_column(code_enum(DecisionKind))
    ruling_type: Mapped[RulingType | None] = mapped_column(code_enum(RulingType), default=None)
    document_number: Mapped[str] = mapped_column(String(60), default="")  # 文书字号（通常即案号）
    pronounced_on: Mapped[date] = mapped_column(Date)  # 宣判日期
    summary: Mapped[str] = mapped_column(Text, default="")  # 裁判主文摘要
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    services: Mapped[list[JudgmentService]] = relationship(
        back_populates="judgment", cascade="all, delete-orphan", order_by="JudgmentService.created_at"
    )


class JudgmentService(UUIDPk, Versioned, Timestamps, Base):
    """裁判文书对一方当事人的送达日期 (the appeal period of that party runs from it)."""

    __tablename__ = "judgment_service"

    judgment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("judgment_record.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    served_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200), default="")  # 送达回证 / 送达记录带入 …
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    judgment: Mapped[JudgmentRecord] = relationship(back_populates="services")

    __table_args__ = (UniqueConstraint("judgment_id", "party_id", name="uq_judgment_service_party"),)


class ExplanationRequest(UUIDPk, Versioned, Timestamps, Base):
    """判后答疑申请."""

    __tablename__ = "explanation_request"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    judgment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("judgment_record.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), index=True)
    requester_name: Mapped[str] = mapped_column(String(50), default="")  # 申请人（当事人本人或代理人）
    requester_capacity: Mapped[str] = mapped_column(String(20), default="本人")  # 本人/法定代理人/委托诉讼代理人
    channel: Mapped[Channel] = mapped_column(code_enum(Channel))
    received_on: Mapped[date] = mapped_column(Date)
    questions: Mapped[str] = mapped_column(Text)  # 申请答疑的问题
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)  # 证据、事实、法律适用 …
    status: Mapped[RequestStatus] = mapped_column(code_enum(RequestStatus), default=RequestStatus.OPEN)
    current_tier: Mapped[int] = mapped_column(default=1)
    outcome: Mapped[PartyDecision | None] = mapped_column(code_enum(PartyDecision), default=None)  # 最终结果
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    close_note: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    tiers: Mapped[list[ExplanationTier]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ExplanationTier.tier_no"
    )

    __table_args__ = (Index("ix_explanation_request_received", "received_on"),)


class ExplanationTier(UUIDPk, Versioned, Timestamps, Base):
    """一级答疑: assigned by name; only the assignee records it."""

    __tablename__ = "explanation_tier"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("explanation_request.id", ondelete="CASCADE"), index=True
    )
    tier_no: Mapped[int] = mapped_column()  # 1 承办法官, 2 庭长, 3 分管院长
    assignee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    assignee_name: Mapped[str] = mapped_column(String(50))  # as assigned (names may change later)
    assignee_role: Mapped[str] = mapped_column(String(20))  # 承办法官 / 庭长 / 分管院长
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("department.id"), default=None)
    assigned_on: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # the record of the explanation (empty until recorded)
    held_on: Mapped[date | None] = mapped_column(Date, default=None)
    start_time: Mapped[str] = mapped_column(String(5), default="")  # HH:MM
    end_time: Mapped[str] = mapped_column(String(5), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    clerk_name: Mapped[str] = mapped_column(String(50), default="")  # 记录人（书记员）
    questions: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[str] = mapped_column(Text, default="")
    legal_points: Mapped[str] = mapped_column(Text, default="")  # 释明的法律依据和要点
    party_response: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[PartyDecision | None] = mapped_column(code_enum(PartyDecision), default=None)
    # what the desk showed on the day (snapshot): the party's appeal deadline and the days left
    appeal_state: Mapped[str] = mapped_column(String(20), default="")  # running/expired/not_appealable/not_served
    appeal_due: Mapped[date | None] = mapped_column(Date, default=None)
    appeal_days_left: Mapped[int | None] = mapped_column(default=None)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    document_version: Mapped[int | None] = mapped_column(default=None)  # latest 判后答疑笔录 generated

    request: Mapped[ExplanationRequest] = relationship(back_populates="tiers")

    __table_args__ = (UniqueConstraint("request_id", "tier_no", name="uq_explanation_tier_request_tier"),)

    @property
    def recorded(self) -> bool:
        return self.recorded_at is not None


class RiskFlag(UUIDPk, Versioned, Timestamps, Base):
    """信访风险标记 and 领导包案 of a case."""

    __tablename__ = "explanation_risk"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("explanation_request.id"), default=None)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    flagged_on: Mapped[date] = mapped_column(Date)
    flagged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    leader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))  # 包案领导
    leader_name: Mapped[str] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(default=True)
    cleared_on: Mapped[date | None] = mapped_column(Date, default=None)
    cleared_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    clear_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_explanation_risk_case_active", "case_id", "active"),)
