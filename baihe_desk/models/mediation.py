"""诉前调解 (pre-litigation mediation, 委派调解): the roster and the mediation case with its records.

- :class:`MediationOrganisation` — 调解组织 on the court's roster (诉非联动服务站 at 长白山管委会综治中心,
  董嫂说事点, the “法院+银行” bank channel, 网格调解员 …), kept by the administrator.
- :class:`Mediator` — 调解员, linked to a login :class:`~baihe_desk.models.user.User` with role MEDIATOR.
- :class:`MediationCase` — one pre-litigation mediation of one :class:`~baihe_desk.models.case.Case`,
  from the window's recommendation and the 诉前调解告知书 to the outcome. It keeps its own numbers:
  the 民诉前调 number of the mediation and, on agreement, the 诉前调确 / 诉前调书 number.

  **Case numbers.** ``Case.case_number`` holds the number the dispute is known by *now*: empty at the
  window, the **民诉前调** number from the party's consent while it is mediated (so the case list, search
  and ``baihe-desk render --case`` find it), and the **民初** number once the same Case row is filed after a
  failed mediation (it replaces the 民诉前调 number there). This record keeps its ``mediation_number`` for
  good, and on agreement the **诉前调确** / **诉前调书** number in ``outcome_number`` (the Case row keeps its
  民诉前调 number and is closed). ``Case.number_type`` tells which kind of number the case holds.
- :class:`MediationSession` — 调解记录 (date, who attended, what was agreed or disputed).
- :class:`MediationExtension` — 延长调解期限, only with every party's recorded consent.
- :class:`MediationSuspension` — 鉴定/评估 time, not counted in the period (在线调解规则第二十六条).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baihe_desk.models.base import (
    Base,
    LabelledEnum,
    Money,
    Timestamps,
    UTCDateTime,
    UUIDPk,
    Versioned,
    code_enum,
)


class OrganisationKind(LabelledEnum):
    STATION = "station", "诉非联动服务站"
    TALK_POINT = "talk_point", "说事点"  # 董嫂说事点
    BANK = "bank", "“法院+银行”金融纠纷调解"
    GRID = "grid", "网格调解"  # 网格调解员
    OTHER = "other", "其他特邀调解组织"


class MediationStatus(LabelledEnum):
    SUGGESTED = "suggested", "已建议，待发放告知书"  # 窗口已作出建议，尚未发放告知书
    NOTICE_GIVEN = "notice_given", "已发放告知书，待当事人表态"
    DECLINED = "declined", "当事人不同意，已退回立案"
    NOT_REFERRED = "not_referred", "不引导诉前调解"  # 窗口决定不引导诉前调解
    AWAITING_ASSIGNMENT = "awaiting_assignment", "当事人同意，待委派"
    ASSIGNED = "assigned", "已委派，待调解员签收"
    IN_PROGRESS = "in_progress", "调解中"  # 期限计算中
    SUCCEEDED = "succeeded", "调解成功"
    ENDED = "ended", "调解终结，已立案"  # 调解终结未达成协议，已转立案

    @property
    def closed(self) -> bool:
        return self in (MediationStatus.DECLINED, MediationStatus.NOT_REFERRED, MediationStatus.SUCCEEDED,
                        MediationStatus.ENDED)


STATUS_LABELS = MediationStatus.labels()


class PartyChoice(LabelledEnum):
    AGREE = "agree", "同意"  # 同意诉前调解
    REFUSE = "refuse", "不同意"  # 不同意诉前调解


class MediationOutcome(LabelledEnum):
    """调解结果. The first three are agreements; the others end the mediation and the case is filed."""

    CONFIRMATION = "confirmation", "达成协议，申请司法确认"  # 诉前调确
    MEDIATION_DOCUMENT = "mediation_document", "达成协议，请求出具调解书"  # 诉前调书
    SELF_PERFORMANCE = "self_performance", "达成协议，自行履行"
    FAILED = "failed", "调解不成（分歧较大）"  # 分歧较大，难以达成协议
    WITHDRAWN = "withdrawn", "当事人撤回调解"  # 当事人撤回调解申请
    UNREACHABLE = "unreachable", "无法联系当事人"  # 调解期限内无法联系到当事人
    REFUSED = "refused", "一方拒绝继续调解"  # 一方明确表示不愿继续调解或拒绝在协议上签章
    EXPIRED = "expired", "调解期限届满"  # 调解期限届满未达成协议，且未合意延长

    @property
    def agreement(self) -> bool:
        return self in AGREEMENTS


AGREEMENTS = frozenset({MediationOutcome.CONFIRMATION, MediationOutcome.MEDIATION_DOCUMENT,
                        MediationOutcome.SELF_PERFORMANCE})
OUTCOME_LABELS = MediationOutcome.labels()


class SuspensionKind(LabelledEnum):
    APPRAISAL = "appraisal", "鉴定"
    VALUATION = "valuation", "评估"


class MediationOrganisation(UUIDPk, Versioned, Timestamps, Base):
    """调解组织 on the roster."""

    __tablename__ = "mediation_organisation"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(code_enum(OrganisationKind))
    location: Mapped[str] = mapped_column(String(200), default="")  # 长白山管委会综治中心 …
    phone: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    mediators: Mapped[list[Mediator]] = relationship(back_populates="organisation", order_by="Mediator.sort_order")


class Mediator(UUIDPk, Versioned, Timestamps, Base):
    """调解员: a login user (role MEDIATOR) working for one organisation on the roster."""

    __tablename__ = "mediator"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_organisation.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50))  # as printed on documents
    phone: Mapped[str] = mapped_column(String(40), default="")
    specialties: Mapped[str] = mapped_column(String(200), default="")  # 婚姻家庭、金融 …
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[MediationOrganisation] = relationship(back_populates="mediators")


class MediationCase(UUIDPk, Versioned, Timestamps, Base):
    """诉前调解案件 of one case (one open record per case; earlier closed ones stay as history)."""

    __tablename__ = "mediation_case"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    status: Mapped[MediationStatus] = mapped_column(code_enum(MediationStatus), default=MediationStatus.SUGGESTED)
    # the window's recommendation (rules version + what the clerk decided)
    suggestion: Mapped[str] = mapped_column(String(20), default="")  # suggest / exclude / none
    suggestion_rule: Mapped[str] = mapped_column(String(40), default="")
    suggestion_reason: Mapped[str] = mapped_column(Text, default="")
    suggested_channel: Mapped[str] = mapped_column(String(30), default="")
    rules_version: Mapped[str] = mapped_column(String(20), default="")
    refer: Mapped[bool] = mapped_column(default=True)  # the clerk's decision: 引导诉前调解
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    recommended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recommended_on: Mapped[date | None] = mapped_column(Date, default=None)
    # 诉前调解告知书 and the party's answer (回执)
    notice_given_on: Mapped[date | None] = mapped_column(Date, default=None)
    notice_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("generated_document.id"), default=None)
    choice: Mapped[PartyChoice | None] = mapped_column(code_enum(PartyChoice), default=None)
    choice_signed_on: Mapped[date | None] = mapped_column(Date, default=None)
    choice_party_name: Mapped[str] = mapped_column(String(200), default="")
    choice_recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # the mediation case (民诉前调)
    mediation_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)
    number_year: Mapped[int | None] = mapped_column(default=None)
    number_serial: Mapped[int | None] = mapped_column(default=None)
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediation_organisation.id"), default=None)
    mediator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mediator.id"), index=True, default=None)
    assigned_on: Mapped[date | None] = mapped_column(Date, default=None)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    accepted_on: Mapped[date | None] = mapped_column(Date, default=None)  # 签收之日：期限起算
    period_days: Mapped[int | None] = mapped_column(default=None)  # 30 (snapshot at acceptance)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)  # cached; recomputed on every change
    # the outcome (one audited step)
    outcome: Mapped[MediationOutcome | None] = mapped_column(code_enum(MediationOutcome), default=None)
    outcome_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    outcome_number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)  # 诉前调确/诉前调书
    outcome_number_type: Mapped[str] = mapped_column(String(8), default="")
    agreement_text: Mapped[str] = mapped_column(Text, default="")  # 调解协议主要内容
    undisputed_facts: Mapped[str] = mapped_column(Text, default="")  # 无争议事实（调解不成时记录）
    outcome_note: Mapped[str] = mapped_column(Text, default="")  # 调解不成的原因、增加诉讼成本的行为 …
    fee_kind: Mapped[str] = mapped_column(String(30), default="")
    fee_full: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    fee_total: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # 应交（司法确认 0）
    fee_steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    filed_case_number: Mapped[str | None] = mapped_column(String(40), default=None)  # 民初 after failure
    filed_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    sessions: Mapped[list[MediationSession]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="MediationSession.held_on")
    extensions: Mapped[list[MediationExtension]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="MediationExtension.created_at")
    suspensions: Mapped[list[MediationSuspension]] = relationship(
        back_populates="mediation", cascade="all, delete-orphan", order_by="MediationSuspension.started_on")
    organisation: Mapped[MediationOrganisation | None] = relationship()
    mediator: Mapped[Mediator | None] = relationship()

    __table_args__ = (Index("ix_mediation_case_status", "status"),
                      # statistics by period: mediations opened / concluded in it (an OR of two ranges)
                      Index("ix_mediation_case_opened_on", "opened_on"),
                      Index("ix_mediation_case_outcome_on", "outcome_on"))


class MediationSession(UUIDPk, Versioned, Timestamps, Base):
    """调解记录: one sitting."""

    __tablename__ = "mediation_session"

    mediation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")  # 到场人员
    agreed: Mapped[str] = mapped_column(Text, default="")  # 达成一致的事项
    disputed: Mapped[str] = mapped_column(Text, default="")  # 争议事项
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    mediation: Mapped[MediationCase] = relationship(back_populates="sessions")


class MediationExtension(UUIDPk, Versioned, Timestamps, Base):
    """延长调解期限 with every party's consent: ``consents`` = [{party_id, name, role, consented_on, how}]."""

    __tablename__ = "mediation_extension"

    mediation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    days: Mapped[int] = mapped_column()
    agreed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    consents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    mediation: Mapped[MediationCase] = relationship(back_populates="extensions")


class MediationSuspension(UUIDPk, Versioned, Timestamps, Base):
    """鉴定/评估期间 (start and end day both not counted in the mediation period)."""

    __tablename__ = "mediation_suspension"

    mediation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SuspensionKind] = mapped_column(code_enum(SuspensionKind))
    started_on: Mapped[date] = mapped_column(Date)  # 委托鉴定/评估之日
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)  # 收到鉴定/评估意见之日
    institution: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

    mediation: Mapped[MediationCase] = relationship(back_populates="suspensions")


MEDIATION_MODELS = (MediationOrganisation, Mediator, MediationCase, MediationSession, MediationExtension,
                    MediationSuspension)
