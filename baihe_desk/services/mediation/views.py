"""诉前调解页面数据 — plain, detached records for the two pages (诉前调解 at the window, 调解工作台 at the station).

Read in one short session; the UI never touches ORM objects. Visibility follows
:mod:`services.mediation.query` (a mediator gets only a case assigned to them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.errors import KnownError, NotFound
from baihe_desk.models import Case, GeneratedDocument, Party, Stage, User
from baihe_desk.models.mediation import (
    MediationOutcome,
    MediationStatus,
    OrganisationKind,
    PartyChoice,
)
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.filing import fees
from baihe_desk.services.mediation import roster as mediation_roster
from baihe_desk.services.mediation.outcome import mediation_document_fee
from baihe_desk.services.mediation.period import PeriodState, holiday_table, state
from baihe_desk.services.mediation.query import mediation_detail
from baihe_desk.services.mediation.referral import get_case, latest_record, today
from baihe_desk.services.mediation.rules import Suggestion, suggest_for_case


@dataclass(frozen=True)
class PartyInfo:
    id: uuid.UUID
    role: str  # 原告 / 被告 / 第三人
    name: str


@dataclass(frozen=True)
class MediatorOption:
    id: uuid.UUID
    name: str
    phone: str


@dataclass(frozen=True)
class OrganisationOption:
    id: uuid.UUID
    name: str
    kind: OrganisationKind
    location: str
    mediators: tuple[MediatorOption, ...]


@dataclass(frozen=True)
class WindowDetail:
    case_id: uuid.UUID
    receipt_number: str
    cause_name: str
    stage: Stage
    received_on: date
    parties: tuple[PartyInfo, ...]
    suggestion: Suggestion
    mediation_id: uuid.UUID | None
    status: MediationStatus | None
    refer: bool
    overridden: bool
    override_reason: str
    notice_given_on: date | None
    notice_version: int | None
    notice_relpath: str
    choice: PartyChoice | None
    choice_signed_on: date | None
    mediation_number: str
    organisation: str
    mediator: str
    organisation_id: uuid.UUID | None
    mediator_id: uuid.UUID | None
    period: PeriodState | None
    organisations: tuple[OrganisationOption, ...]

    @property
    def closed(self) -> bool:
        return self.status is not None and self.status.closed


def _parties(case: Case) -> tuple[PartyInfo, ...]:
    return tuple(PartyInfo(p.id, p.role.label, p.name) for p in case.parties)


def organisation_options(session: Session) -> tuple[OrganisationOption, ...]:
    out = []
    for org in mediation_roster.organisations(session):
        out.append(OrganisationOption(org.id, org.name, org.kind, org.location, tuple(
            MediatorOption(m.id, m.name, m.phone) for m in mediation_roster.mediators(session, org.id))))
    return tuple(out)


def window_detail(session: Session, actor: User | None, case_id: uuid.UUID, *,
                  today_: date | None = None) -> WindowDetail:
    require(session, actor, Perm.MEDIATION_REFER)
    case = session.scalar(select(Case).where(Case.id == case_id).options(selectinload(Case.parties)))
    if case is None:
        case = get_case(session, case_id)
    m = latest_record(session, case.id)
    doc = session.get(GeneratedDocument, m.notice_document_id) if m and m.notice_document_id else None
    period = state(m, today=today_ or today(), table=holiday_table(session)) if m and m.accepted_on else None
    return WindowDetail(
        case.id, case.receipt_number, case.cause_name, case.stage, case.received_on, _parties(case),
        suggest_for_case(session, case), m.id if m else None, m.status if m else None, bool(m and m.refer),
        bool(m and m.overridden), m.override_reason if m else "", m.notice_given_on if m else None,
        doc.version if doc else None, doc.relpath if doc else "", m.choice if m else None,
        m.choice_signed_on if m else None, (m.mediation_number or "") if m else "",
        m.organisation.name if m and m.organisation else "", m.mediator.name if m and m.mediator else "",
        m.organisation_id if m else None, m.mediator_id if m else None, period, organisation_options(session))


@dataclass(frozen=True)
class SessionInfo:
    held_on: date
    place: str
    attendees: str
    agreed: str
    disputed: str


@dataclass(frozen=True)
class ExtensionInfo:
    days: int
    agreed_on: date
    reason: str
    consents: str  # 原告某某（2026-03-01，当面签字）、…


@dataclass(frozen=True)
class SuspensionInfo:
    id: uuid.UUID
    kind: str
    started_on: date
    ended_on: date | None
    institution: str


@dataclass(frozen=True)
class WorkbenchDetail:
    mediation_id: uuid.UUID
    case_id: uuid.UUID
    receipt_number: str
    mediation_number: str
    cause_name: str
    claim_amount: Decimal | None
    status: MediationStatus
    parties: tuple[PartyInfo, ...]
    organisation: str
    mediator: str
    assigned_on: date | None
    accepted_on: date | None
    period: PeriodState
    sessions: tuple[SessionInfo, ...]
    extensions: tuple[ExtensionInfo, ...]
    suspensions: tuple[SuspensionInfo, ...]
    outcome: MediationOutcome | None
    outcome_on: date | None
    outcome_number: str
    agreement_text: str
    undisputed_facts: str
    fee_total: Decimal | None
    fee_steps: tuple[str, ...]
    filed_case_number: str
    no_confirmation: tuple[str, ...]  # why 司法确认 is not available
    cautions: tuple[str, ...]
    document_fee: fees.FeeResult | None  # what a 调解书 would cost (half fee), for the outcome form
    document_fee_problem: str  # why it cannot be computed yet (e.g. no 标的额)

    @property
    def open_suspension(self) -> SuspensionInfo | None:
        return next((s for s in self.suspensions if s.ended_on is None), None)


def workbench_detail(session: Session, actor: User | None, mediation_id: uuid.UUID, *,
                     today_: date | None = None) -> WorkbenchDetail:
    m = mediation_detail(session, actor, mediation_id)
    case = session.scalar(select(Case).where(Case.id == m.case_id).options(selectinload(Case.parties)))
    if case is None:
        raise NotFound("案件不存在或已被删除。")
    sug = suggest_for_case(session, case)
    fee, problem = None, ""
    try:
        fee = mediation_document_fee(session, case)
    except KnownError as exc:
        problem = exc.message
    exts = []
    for e in m.extensions:
        consents = "、".join(f"{c.get('name', '')}（{c.get('consented_on', '')}，{c.get('how', '')}）" for c in e.consents)
        exts.append(ExtensionInfo(e.days, e.agreed_on, e.reason, consents))
    return WorkbenchDetail(
        m.id, case.id, case.receipt_number, m.mediation_number or "", case.cause_name, case.claim_amount, m.status,
        _parties(case), m.organisation.name if m.organisation else "", m.mediator.name if m.mediator else "",
        m.assigned_on, m.accepted_on, state(m, today=today_ or today(), table=holiday_table(session)),
        tuple(SessionInfo(x.held_on, x.place, x.attendees, x.agreed, x.disputed) for x in m.sessions),
        tuple(exts),
        tuple(SuspensionInfo(x.id, x.kind.label, x.started_on, x.ended_on, x.institution) for x in m.suspensions),
        m.outcome, m.outcome_on, m.outcome_number or "", m.agreement_text, m.undisputed_facts, m.fee_total,
        tuple(m.fee_steps or ()), m.filed_case_number or "", sug.no_confirmation, sug.cautions, fee, problem)


def party_ids(session: Session, case_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(Party.id).where(Party.case_id == case_id).order_by(Party.sort_order)))
