"""执行咨询 (enforcement consultation): the judge's 执行咨询函 and the enforcement bureau's 执行建议.

During mediation or trial the judge asks the enforcement bureau whether the draft 判项 or settlement
terms can be enforced (审执衔接, DOMAIN.md §7; the binding test is 民诉法解释第四百六十一条: 权利义务
主体明确、给付内容明确). One :class:`EnforcementConsultation` per question to the bureau:

- its parties with their known assets (:class:`ConsultationParty`, copied from the case, editable —
  a guarantor who is not yet a party can be added);
- the draft terms as structured rows (:class:`ConsultationTerm`: amount, interest basis/rate/period,
  instalments and acceleration, guarantor, object, performance time and manner …);
- the questions and attachments (file references);
- the bureau's reply (:class:`EnforcementAdvice`) with one :class:`AdviceItem` per term assessment
  and per suggested measure; the judge records for each suggestion whether it was adopted.

Status: 草稿 → 已发送 → 已回复 → 已采纳 / 部分采纳 / 未采纳.
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
from baihe_desk.models.case import PartyKind


class ConsultStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    SENT = "sent", "已发送"  # 待执行局回复
    REPLIED = "replied", "已回复"  # 待记录采纳情况
    ADOPTED = "adopted", "已采纳"
    PARTLY_ADOPTED = "partly_adopted", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"

    @property
    def closed(self) -> bool:
        return self in (ConsultStatus.ADOPTED, ConsultStatus.PARTLY_ADOPTED, ConsultStatus.NOT_ADOPTED)


STATUS_LABELS = ConsultStatus.labels()


class TermsKind(LabelledEnum):
    JUDGMENT = "judgment", "拟判项"
    SETTLEMENT = "settlement", "拟调解条款"  # 拟调解协议（调解书）条款


class TermKind(LabelledEnum):
    MONEY = "money", "给付金钱"
    DELIVERY = "delivery", "交付特定物"
    CONTINUE = "continue", "继续履行合同"
    ACT = "act", "为一定行为"  # 排除妨碍、恢复原状、停止侵害 …
    OTHER = "other", "其他"


TERM_KIND_LABELS = TermKind.labels()

# How several obligors are liable (多个义务人的责任形式)
LIABILITY_LABELS = {"": "未写明", "joint": "连带责任", "several": "按份责任"}
# How a guarantor is liable (保证方式)
GUARANTEE_LABELS = {"": "未写明", "joint": "连带责任保证", "general": "一般保证"}


class Verdict(LabelledEnum):
    ENFORCEABLE = "enforceable", "可以执行"
    NEEDS_CHANGE = "needs_change", "需修改后方可执行"
    NOT_ENFORCEABLE = "not_enforceable", "不能执行"


class Measure(LabelledEnum):
    PRESERVATION = "preservation", "诉讼保全"
    SECURITY = "security", "提供担保"
    ACCELERATION = "acceleration", "分期履行加速到期条款"
    JOINT_WORDING = "joint_wording", "连带责任表述"
    OTHER = "other", "其他建议"


MEASURE_LABELS = Measure.labels()


class EnforcementConsultation(UUIDPk, Versioned, Timestamps, Base):
    """执行咨询函 (one consultation of the enforcement bureau about one case's draft terms)."""

    __tablename__ = "enforcement_consultation"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id"), index=True)
    status: Mapped[ConsultStatus] = mapped_column(code_enum(ConsultStatus, 20), default=ConsultStatus.DRAFT)
    terms_kind: Mapped[TermsKind] = mapped_column(code_enum(TermsKind, 20), default=TermsKind.SETTLEMENT)
    stage_note: Mapped[str] = mapped_column(String(200), default="")  # 审理阶段（如：调解中，拟出具调解书）
    from_department: Mapped[str] = mapped_column(String(100), default="")  # 咨询部门（审判庭）
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    questions: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [str]
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{name, ref}]

    number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)  # （2026）吉7502执咨1号
    number_year: Mapped[int | None] = mapped_column(default=None)
    number_serial: Mapped[int | None] = mapped_column(default=None)

    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    sent_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)  # 咨询法官
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    reply_days: Mapped[int | None] = mapped_column(default=None)  # 回复期限（工作日），发送时的设置
    reply_due: Mapped[date | None] = mapped_column(Date, default=None)  # 回复期限届满日
    due_steps: Mapped[list[Any]] = mapped_column(JSON, default=list)  # how reply_due was counted
    gaps_at_send: Mapped[list[Any]] = mapped_column(JSON, default=list)  # checker findings when sent
    checker_version: Mapped[str] = mapped_column(String(20), default="")

    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    replied_on: Mapped[date | None] = mapped_column(Date, default=None)
    adoption_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    adoption_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    adoption_note: Mapped[str] = mapped_column(Text, default="")

    parties: Mapped[list[ConsultationParty]] = relationship(
        back_populates="consultation", order_by="ConsultationParty.sort_order", cascade="all, delete-orphan"
    )
    terms: Mapped[list[ConsultationTerm]] = relationship(
        back_populates="consultation", order_by="ConsultationTerm.seq", cascade="all, delete-orphan"
    )
    advice: Mapped[EnforcementAdvice | None] = relationship(
        back_populates="consultation", uselist=False, cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_enforcement_consultation_status", "status"),
                      Index("ix_enforcement_consultation_sent_on", "sent_on"))  # statistics by period

    @property
    def consulting_user_id(self) -> uuid.UUID | None:
        """The consulting judge: who sent it (or, before sending, who drafted it)."""
        return self.sent_by_id or self.created_by_id


class ConsultationParty(UUIDPk, Base):
    """A party (or guarantor, 案外人) named in the consultation, with its known assets (已知财产)."""

    __tablename__ = "enforcement_consultation_party"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_consultation.id", ondelete="CASCADE"), index=True
    )
    sort_order: Mapped[int] = mapped_column(default=0)
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("party.id", ondelete="SET NULL"), default=None)
    role_label: Mapped[str] = mapped_column(String(20), default="")  # 原告 / 被告 / 第三人 / 担保人 / 案外人
    kind: Mapped[PartyKind] = mapped_column(code_enum(PartyKind, 20), default=PartyKind.NATURAL)
    name: Mapped[str] = mapped_column(String(200), default="")
    id_code: Mapped[str] = mapped_column(String(18), default="")  # 身份证号 / 统一社会信用代码
    domicile: Mapped[str] = mapped_column(String(300), default="")
    assets: Mapped[str] = mapped_column(Text, default="")  # 已知财产情况

    consultation: Mapped[EnforcementConsultation] = relationship(back_populates="parties")


class ConsultationTerm(UUIDPk, Base):
    """One draft 判项 / settlement term, as structured fields plus its full wording (``text``)."""

    __tablename__ = "enforcement_consultation_term"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_consultation.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(default=1)  # 第几项
    kind: Mapped[TermKind] = mapped_column(code_enum(TermKind, 20), default=TermKind.MONEY)
    text: Mapped[str] = mapped_column(Text, default="")  # 条款全文（拟定表述）
    obligors: Mapped[str] = mapped_column(String(300), default="")  # 义务人（多人以、分隔）
    obligees: Mapped[str] = mapped_column(String(300), default="")  # 权利人
    liability: Mapped[str] = mapped_column(String(10), default="")  # "" / joint / several
    liability_wording: Mapped[str] = mapped_column(Text, default="")  # 责任形式的表述（份额）
    amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # 给付金额（元）
    has_interest: Mapped[bool] = mapped_column(default=False)  # 是否计付利息（违约金）
    interest_basis: Mapped[str] = mapped_column(String(200), default="")  # 计算基数
    interest_rate: Mapped[str] = mapped_column(String(200), default="")  # 利率（标准）
    interest_start: Mapped[str] = mapped_column(String(100), default="")  # 起算日
    interest_end: Mapped[str] = mapped_column(String(100), default="")  # 截止日
    instalments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{due: "YYYY-MM-DD", amount: "…"}]
    acceleration: Mapped[str] = mapped_column(Text, default="")  # 加速到期（未按期履行的后果）条款
    guarantor: Mapped[str] = mapped_column(String(200), default="")  # 担保人
    guarantee_mode: Mapped[str] = mapped_column(String(10), default="")  # "" / joint / general
    guarantee_scope: Mapped[str] = mapped_column(Text, default="")  # 担保范围和期间
    object_desc: Mapped[str] = mapped_column(Text, default="")  # 标的物名称、数量、特征
    act_content: Mapped[str] = mapped_column(Text, default="")  # 应履行的具体内容和标准
    perform_by: Mapped[str] = mapped_column(String(100), default="")  # 履行期限
    perform_manner: Mapped[str] = mapped_column(String(200), default="")  # 履行方式（地点）

    consultation: Mapped[EnforcementConsultation] = relationship(back_populates="terms")


class EnforcementAdvice(UUIDPk, Versioned, Timestamps, Base):
    """执行建议 (the enforcement bureau's reply). ``submitted_at`` None = the officer's draft."""

    __tablename__ = "enforcement_advice"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_consultation.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)  # （2026）吉7502执建1号
    number_year: Mapped[int | None] = mapped_column(default=None)
    number_serial: Mapped[int | None] = mapped_column(default=None)
    drafted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    property_clues: Mapped[str] = mapped_column(Text, default="")  # 财产线索
    risk_notes: Mapped[str] = mapped_column(Text, default="")  # 风险提示
    answers: Mapped[list[Any]] = mapped_column(JSON, default=list)  # one answer per question (same order)
    contact_phone: Mapped[str] = mapped_column(String(40), default="")

    consultation: Mapped[EnforcementConsultation] = relationship(back_populates="advice")
    items: Mapped[list[AdviceItem]] = relationship(
        back_populates="advice", order_by="AdviceItem.sort_order", cascade="all, delete-orphan"
    )


class AdviceItem(UUIDPk, Base):
    """One assessment of a term (``term_seq`` set, ``verdict``) or one suggested measure (``measure``).

    A *suggestion* (建议) is a measure, or an assessment that is not 可以执行 or that proposes a
    rewording; the judge records ``adopted`` for each suggestion.
    """

    __tablename__ = "enforcement_advice_item"

    advice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enforcement_advice.id", ondelete="CASCADE"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    term_seq: Mapped[int | None] = mapped_column(default=None)  # 对第几项条款的意见 (None = a measure)
    verdict: Mapped[Verdict | None] = mapped_column(code_enum(Verdict, 20), default=None)
    measure: Mapped[Measure | None] = mapped_column(code_enum(Measure, 20), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")  # 理由（法律依据）
    suggestion: Mapped[str] = mapped_column(Text, default="")  # 建议表述 / 措施内容
    amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # 诉讼保全：拟保全财产数额
    fee: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # 诉讼保全：保全申请费
    fee_detail: Mapped[str] = mapped_column(Text, default="")  # the fee calculator's steps
    adopted: Mapped[bool | None] = mapped_column(default=None)  # 法官记录：是否采纳
    adoption_note: Mapped[str] = mapped_column(Text, default="")

    advice: Mapped[EnforcementAdvice] = relationship(back_populates="items")

    @property
    def is_suggestion(self) -> bool:
        if self.measure is not None:
            return True
        return self.verdict not in (None, Verdict.ENFORCEABLE) or bool(self.suggestion.strip())
