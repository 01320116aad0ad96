"""诉前调解查询 — the lists the two pages show, who may see what, and the counts the statistics need.

Visibility is enforced **here**, not in the UI: a user with role 调解员 sees only the mediation cases
assigned to them (:func:`visible_mediations`, :func:`mediation_detail` — another mediator's case is
"not found"); the filing window and the administrator see all; other staff see all read-only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.errors import NotFound
from baihe_desk.models import Case, Party, PartyRole, Role, Stage, User
from baihe_desk.models.mediation import (
    AGREEMENTS,
    MediationCase,
    MediationOutcome,
    MediationStatus,
    Mediator,
)
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.mediation.period import PeriodState, holiday_table, state
from baihe_desk.services.mediation.referral import MEDIATION_TYPE, OPEN, WINDOW_STAGES, today


@dataclass(frozen=True)
class MediationRow:
    id: uuid.UUID
    case_id: uuid.UUID
    receipt_number: str
    mediation_number: str
    cause_name: str
    plaintiffs: str
    defendants: str
    organisation: str
    mediator: str
    status: MediationStatus
    accepted_on: date | None
    period: PeriodState

    @property
    def overdue(self) -> bool:
        return self.period.overdue


@dataclass(frozen=True)
class WindowRow:
    """A case at the filing window (not filed yet), with its latest mediation record if any."""

    case_id: uuid.UUID
    receipt_number: str
    cause_name: str
    plaintiffs: str
    defendants: str
    received_on: date
    stage: Stage
    mediation_id: uuid.UUID | None
    status: MediationStatus | None
    mediation_number: str
    overdue: bool


def _names(session: Session, case_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[PartyRole, list[str]]]:
    out: dict[uuid.UUID, dict[PartyRole, list[str]]] = {}
    if not case_ids:
        return out
    for case_id, role, name in session.execute(
            select(Party.case_id, Party.role, Party.name).where(Party.case_id.in_(case_ids))
            .order_by(Party.case_id, Party.sort_order)):
        out.setdefault(case_id, {}).setdefault(role, []).append(name)
    return out


def _scope(session: Session, actor: User | None) -> Select:
    """The mediation cases ``actor`` may see (raises PermissionDenied for no login)."""
    actor = require(session, actor, Perm.CASE_VIEW)
    q = select(MediationCase)
    if actor.role is Role.MEDIATOR:
        q = q.join(Mediator, Mediator.id == MediationCase.mediator_id).where(Mediator.user_id == actor.id)
    return q


def visible_mediations(session: Session, actor: User | None, *, include_closed: bool = False,
                       text: str = "", today_: date | None = None, limit: int = 500) -> list[MediationRow]:
    """The mediation cases ``actor`` may see (a mediator: only their own), open ones first by due date."""
    t = today_ or today()
    q = _scope(session, actor).where(MediationCase.mediation_number.is_not(None))
    if not include_closed:
        q = q.where(MediationCase.status.in_(OPEN))
    pat = (text or "").strip()
    if pat:
        like = f"%{pat}%"
        q = q.join(Case, Case.id == MediationCase.case_id).where(or_(
            MediationCase.mediation_number.like(like), Case.receipt_number.like(like), Case.cause_name.like(like),
            Case.id.in_(select(Party.case_id).where(Party.name.like(like)))))
    q = q.options(selectinload(MediationCase.extensions), selectinload(MediationCase.suspensions),
                  selectinload(MediationCase.organisation), selectinload(MediationCase.mediator))
    rows = list(session.scalars(q.limit(limit)))
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_([m.case_id for m in rows])))}
    names = _names(session, list(cases))
    table = holiday_table(session)
    out = []
    for m in rows:
        c, n = cases[m.case_id], names.get(m.case_id, {})
        out.append(MediationRow(
            m.id, m.case_id, c.receipt_number, m.mediation_number or "", c.cause_name,
            "、".join(n.get(PartyRole.PLAINTIFF, [])), "、".join(n.get(PartyRole.DEFENDANT, [])),
            m.organisation.name if m.organisation else "", m.mediator.name if m.mediator else "", m.status,
            m.accepted_on, state(m, today=t, table=table)))
    far = date.max
    out.sort(key=lambda r: (r.status.closed, r.period.due or far, r.mediation_number))
    return out


def mediation_detail(session: Session, actor: User | None, mediation_id: uuid.UUID) -> MediationCase:
    """One mediation case, if ``actor`` may see it (a mediator: only one assigned to them)."""
    m = session.scalar(_scope(session, actor).where(MediationCase.id == mediation_id)
                       .options(selectinload(MediationCase.sessions), selectinload(MediationCase.extensions),
                                selectinload(MediationCase.suspensions)))
    if m is None:
        raise NotFound("没有找到该调解案件，或该案件没有委派给您。")
    return m


def window_cases(session: Session, actor: User | None, *, text: str = "", today_: date | None = None,
                 limit: int = 300) -> list[WindowRow]:
    """Cases at the filing window (收件后、立案前) with their latest mediation record, newest first."""
    require(session, actor, Perm.MEDIATION_REFER)
    t = today_ or today()
    q = select(Case).where(Case.stage.in_(WINDOW_STAGES),
                           or_(Case.case_number.is_(None), Case.number_type == MEDIATION_TYPE))
    pat = (text or "").strip()
    if pat:
        like = f"%{pat}%"
        q = q.where(or_(Case.receipt_number.like(like), Case.case_number.like(like), Case.cause_name.like(like),
                        Case.id.in_(select(Party.case_id).where(or_(Party.name.like(like),
                                                                    Party.name_pinyin.like(like.lower())))),
                        Case.id.in_(select(MediationCase.case_id).where(MediationCase.mediation_number.like(like)))))
    cases = list(session.scalars(q.order_by(Case.received_on.desc(), Case.receipt_number.desc()).limit(limit)))
    ids = [c.id for c in cases]
    latest: dict[uuid.UUID, MediationCase] = {}
    if ids:
        for found in session.scalars(select(MediationCase).where(MediationCase.case_id.in_(ids))
                                     .options(selectinload(MediationCase.extensions),
                                              selectinload(MediationCase.suspensions))
                                     .order_by(MediationCase.created_at)):
            latest[found.case_id] = found
    names = _names(session, ids)
    table = holiday_table(session)
    out = []
    for c in cases:
        m, n = latest.get(c.id), names.get(c.id, {})
        overdue = bool(m and m.status is MediationStatus.IN_PROGRESS and state(m, today=t, table=table).overdue)
        out.append(WindowRow(c.id, c.receipt_number, c.cause_name, "、".join(n.get(PartyRole.PLAINTIFF, [])),
                             "、".join(n.get(PartyRole.DEFENDANT, [])), c.received_on, c.stage,
                             m.id if m else None, m.status if m else None, (m.mediation_number or "") if m else "",
                             overdue))
    return out


# -- statistics ------------------------------------------------------------------------------------------------

@dataclass
class MediationStats:
    """Counts for 诉源治理 statistics over [start, end] (dates of the party's consent / of the outcome)."""

    start: date
    end: date
    recommended: int = 0  # 窗口建议引导（含当事人不同意）
    declined: int = 0  # 当事人不同意诉前调解
    diverted: int = 0  # 进入诉前调解（当事人同意，立民诉前调号）
    succeeded: int = 0  # 调解成功
    succeeded_by_route: dict[str, int] = field(default_factory=dict)  # 司法确认 / 调解书 / 自行履行
    failed: int = 0  # 调解终结转立案
    failed_by_reason: dict[str, int] = field(default_factory=dict)  # outcome label → count
    in_progress: int = 0  # 期末仍在调解（含待委派、待签收）
    overdue: int = 0  # 期末已超期未结
    average_days: Decimal | None = None  # 签收至结果的平均天数（已结且已签收的案件）
    success_rate: Decimal | None = None  # 调解成功 / 已结（百分比）


def statistics(session: Session, actor: User | None, start: date, end: date, *,
               today_: date | None = None) -> MediationStats:
    """诉前调解统计 (a mediator gets the counts of their own cases only)."""
    q = _scope(session, actor)
    t = today_ or today()
    rows = list(session.scalars(q.options(selectinload(MediationCase.extensions),
                                          selectinload(MediationCase.suspensions))))
    stats = MediationStats(start, end)
    durations: list[int] = []
    table = holiday_table(session)

    def within(d: date | None) -> bool:
        return d is not None and start <= d <= end

    for m in rows:
        if m.refer and within(m.recommended_on) and m.status is not MediationStatus.NOT_REFERRED:
            stats.recommended += 1
        if m.status is MediationStatus.DECLINED and within(m.choice_signed_on):
            stats.declined += 1
        if within(m.opened_on):
            stats.diverted += 1
        if m.outcome is not None and within(m.outcome_on):
            label = m.outcome.label
            if m.outcome in AGREEMENTS:
                stats.succeeded += 1
                stats.succeeded_by_route[label] = stats.succeeded_by_route.get(label, 0) + 1
            else:
                stats.failed += 1
                stats.failed_by_reason[label] = stats.failed_by_reason.get(label, 0) + 1
            if m.accepted_on is not None:
                durations.append((m.outcome_on - m.accepted_on).days)
        if m.opened_on is not None and m.opened_on <= end and (m.outcome_on is None or m.outcome_on > end):
            stats.in_progress += 1
            if m.status is MediationStatus.IN_PROGRESS and state(m, today=min(t, end), table=table).overdue:
                stats.overdue += 1
    if durations:
        stats.average_days = (Decimal(sum(durations)) / len(durations)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    closed = stats.succeeded + stats.failed
    if closed:
        stats.success_rate = (Decimal(stats.succeeded) * 100 / closed).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return stats


def count_open(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(MediationCase)
                          .where(MediationCase.status.in_(OPEN))) or 0


FAILURE_OUTCOMES = tuple(o for o in MediationOutcome if o not in AGREEMENTS)
